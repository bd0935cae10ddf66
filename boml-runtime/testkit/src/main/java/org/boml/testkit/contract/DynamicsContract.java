package org.boml.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of a dynamics plugin: its steps can be differentiated through, so that the exact
 * reverse-mode hypergradient through {@code T} of its steps ({@link
 * HypergradientCheck#unrolledHypergradient}) matches central finite differences of the unrolled
 * objective on the standard float64 problems ({@link CheckProblems#standardCases}, with the
 * parameters its model extension adds, if any); and the plugin is found on the module path under
 * its name. A plugin's test extends it and returns its provider:
 *
 * <pre>{@code
 * class BdaContractTest extends DynamicsContract {
 *   protected IterationModuleProvider provider() { return new BdaProvider(); }
 * }
 * }</pre>
 */
public abstract class DynamicsContract {
  /** For subclasses. */
  protected DynamicsContract() {}

  /**
   * The plugin under test.
   *
   * @return a new instance of its provider
   */
  protected abstract IterationModuleProvider provider();

  /**
   * The options to create the dynamics with.
   *
   * @param learningRate a step size that keeps a few gradient steps on the problem stable
   * @return {@code lr} set to it by default
   */
  protected Map<String, String> options(double learningRate) {
    return Map.of("lr", Double.toString(learningRate));
  }

  /**
   * The number of inner steps {@code T} differentiated through.
   *
   * @return 3 by default
   */
  protected int steps() {
    return 3;
  }

  /**
   * The largest relative error that passes.
   *
   * @return {@code 1e-6} by default
   */
  protected double tolerance() {
    return 1e-6;
  }

  /**
   * Whether the dynamics only estimate the gradient of a meta-parameter (e.g. through a sampled,
   * non-differentiable choice): such meta-parameters are held at their values in the comparison.
   *
   * @param name a meta-parameter's name
   * @return false by default: every gradient is exact
   */
  protected boolean estimated(String name) {
    return false;
  }

  /** The plugin's name finds a provider of the same class on the module path. */
  @Test
  public void isFoundOnTheModulePathUnderItsName() {
    IterationModuleProvider provider = provider();
    assertSame(provider.getClass(), TestKit.dynamics(provider.name()).getClass());
  }

  /**
   * One check per standard problem.
   *
   * @return the checks
   */
  @TestFactory
  public Stream<DynamicTest> reverseModeThroughItsStepsMatchesFiniteDifferences() {
    IterationModuleProvider provider = provider();
    Differentiator d = TestKit.differentiator();
    int steps = steps();
    return CheckProblems.standardCases(11).stream()
        .map(
            problem ->
                dynamicTest(
                    problem + ", T=" + steps,
                    () -> {
                      Options options =
                          Options.forProvider(options(problem.learningRate()), provider);
                      IterationModule dynamics = provider.create(options);
                      Optional<ModelExtension> extension = provider.modelExtension(options, steps);
                      try (NDManager manager = NDManager.newBaseManager()) {
                        CheckProblems.Instance instance =
                            problem.extended().apply(manager, extension);
                        Variables x = instance.x();
                        Variables gradient =
                            HypergradientCheck.unrolledHypergradient(
                                instance.problem(), dynamics, x, steps, d);
                        double error =
                            HypergradientCheck.worstAgainstUnrolled(
                                instance.problem(),
                                dynamics,
                                x.select(name -> !estimated(name)),
                                x.select(this::estimated),
                                gradient.select(name -> !estimated(name)),
                                steps,
                                d,
                                5);
                        assertTrue(
                            error < tolerance(),
                            provider.name()
                                + " on "
                                + problem
                                + ", T="
                                + steps
                                + ": relative error "
                                + error);
                      }
                    }));
  }
}
