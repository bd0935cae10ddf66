package org.boml.testkit.contract;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The contract of an exact hypergradient plugin: on the standard float64 problems ({@link
 * CheckProblems#standardCases}: a sinusoid MLP and a conv net with batch norm, both families) with
 * gradient-descent dynamics, what it computes matches central finite differences of the unrolled
 * objective {@code F(x, y_T(x))} ({@link HypergradientCheck#worstOfModule}), the check {@code boml
 * check-plugin} runs; and the plugin is found on the module path under its name. A plugin's test
 * extends it and returns its provider (and options, if the exact mode needs some):
 *
 * <pre>{@code
 * class RhgContractTest extends HypergradientModuleContract {
 *   protected HypergradientModuleProvider provider() { return new RhgProvider(); }
 * }
 * }</pre>
 *
 * Approximate methods (first-order, implicit, truncated) do not match the unrolled hypergradient;
 * their tests compare with what they approximate instead, using {@link HypergradientCheck} (an
 * implicit method's test extends {@link ImplicitHypergradientContract}).
 */
public abstract class HypergradientModuleContract {
  /** For subclasses. */
  protected HypergradientModuleContract() {}

  /**
   * The plugin under test.
   *
   * @return a new instance of its provider
   */
  protected abstract HypergradientModuleProvider provider();

  /**
   * The options to create the module with; none by default.
   *
   * @param steps the number of inner steps {@code T} of the check
   * @return the options
   */
  protected Map<String, String> options(int steps) {
    return Map.of();
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
   * The numbers of inner steps checked.
   *
   * @return {@code 1} and {@code 3} by default
   */
  protected List<Integer> horizons() {
    return List.of(1, 3);
  }

  /** The plugin's name finds a provider of the same class on the module path. */
  @Test
  public void isFoundOnTheModulePathUnderItsName() {
    HypergradientModuleProvider provider = provider();
    assertSame(provider.getClass(), TestKit.hypergradient(provider.name()).getClass());
  }

  /**
   * One check per standard problem and horizon.
   *
   * @return the checks
   */
  @TestFactory
  public Stream<DynamicTest> matchesFiniteDifferencesOfTheUnrolledObjective() {
    HypergradientModuleProvider provider = provider();
    Differentiator d = TestKit.differentiator();
    return CheckProblems.standardCases(7).stream()
        .flatMap(
            problem ->
                horizons().stream()
                    .map(
                        steps ->
                            dynamicTest(
                                problem + ", T=" + steps,
                                () -> {
                                  HypergradientModule module = provider.create(options(steps));
                                  try (NDManager manager = NDManager.newBaseManager()) {
                                    CheckProblems.Instance instance =
                                        problem.factory().apply(manager);
                                    double error =
                                        HypergradientCheck.worstOfModule(
                                            module,
                                            instance.problem(),
                                            TestKit.gradientDescent(problem.learningRate()),
                                            instance.x(),
                                            steps,
                                            d,
                                            3);
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
                                })));
  }
}
