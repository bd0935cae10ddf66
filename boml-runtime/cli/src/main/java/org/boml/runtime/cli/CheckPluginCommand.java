package org.boml.runtime.cli;

import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.runtime.cli.spi.Subcommand;
import org.boml.runtime.engine.ComputeEngines;
import org.boml.runtime.plugin.PluginIdentity;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.HypergradientCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code boml check-plugin NAME}: a hypergradient plugin against finite differences, the checks of
 * the test kit ({@code org.boml.testkit}) run from the command line (a {@link Subcommand} this
 * module provides, found by {@link Main} like those of other modules).
 */
@Command(
    name = "check-plugin",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Runs a hypergradient plugin on small float64 problems (a sinusoid MLP and a conv net with"
          + " batch norm, in both families, with 1 and 3 lower-level steps) and compares its"
          + " result with central finite differences of the unrolled objective F(x, y_T(x)) along"
          + " random directions. Prints a pass/fail table; the exit code is 1 if any row fails.",
      "Exact methods (rhg, trhg with truncation >= T) should pass; approximations (fmaml, darts,"
          + " hoag, trhg with truncation < T) show by how much they differ from the exact"
          + " hypergradient."
    })
public final class CheckPluginCommand implements Subcommand {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The hypergradient plugin to check.")
  String name;

  @Option(
      names = "--method-option",
      paramLabel = "KEY=VALUE",
      description = "Options for the plugin (repeatable).")
  Map<String, String> options = new LinkedHashMap<>();

  @Mixin DynamicsChoice lowerLevel = new DynamicsChoice();

  @Option(
      names = "--tolerance",
      description =
          "Largest relative error that passes, a finite number > 0 (default: ${DEFAULT-VALUE}).",
      defaultValue = "1e-6")
  double tolerance;

  @Option(
      names = "--seed",
      description = "Fixes problems and directions (default: ${DEFAULT-VALUE}).",
      defaultValue = "0")
  long seed;

  @Override
  public Integer call() {
    if (!(Double.isFinite(tolerance) && tolerance > 0)) {
      throw new IllegalArgumentException(
          "--tolerance must be a finite number > 0, got " + tolerance);
    }
    PluginRegistry registry = Subcommand.plugins(spec);
    HypergradientModuleProvider provider = registry.hypergradient(name);
    HypergradientModule module =
        PluginIdentity.created(provider, "create", provider.create(options));
    Differentiator d = ComputeEngines.get().differentiator();
    System.out.printf(
        Locale.ROOT,
        "%-16s %-22s %-6s %-12s %s%n",
        "PROBLEM",
        "FAMILY",
        "STEPS",
        "REL. ERROR",
        "RESULT");
    boolean allPass = true;
    for (CheckProblems.Case problem : CheckProblems.standardCases(seed)) {
      for (int steps : List.of(1, 3)) {
        String outcome;
        double error = Double.NaN;
        try (NDManager manager = NDManager.newBaseManager()) {
          CheckProblems.Instance instance = problem.factory().apply(manager);
          IterationModuleProvider lowerProvider = registry.iteration(lowerLevel.dynamics);
          IterationModule lower =
              PluginIdentity.created(
                  lowerProvider,
                  "create",
                  lowerProvider.create(Map.of("lr", Double.toString(problem.learningRate()))));
          error =
              HypergradientCheck.worstOfModule(
                  module, instance.problem(), lower, instance.x(), steps, d, seed);
          outcome = error <= tolerance ? "pass" : "FAIL";
        } catch (RuntimeException e) {
          outcome = "FAIL: " + e.getMessage();
        }
        allPass &= outcome.equals("pass");
        System.out.printf(
            Locale.ROOT,
            "%-16s %-22s %-6d %-12.3g %s%n",
            problem.label(),
            problem.family(),
            steps,
            error,
            outcome);
      }
    }
    System.out.println(
        allPass ? "all checks passed" : "some checks failed (tolerance " + tolerance + ")");
    return allPass ? 0 : 1;
  }
}
