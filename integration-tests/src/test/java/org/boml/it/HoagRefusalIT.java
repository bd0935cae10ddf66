package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code hoag} on a lower level whose Hessian is singular along directions that {@code grad_y F}
 * reaches (the default sinusoid task in the meta-feature family: a head of 41 parameters fitted on
 * 10 support points), through the command line in a JVM of its own: training stops at the first
 * task with hoag's message, naming the task, both plugins, the residual and the fix, exactly once;
 * with {@code damping} the same run trains.
 */
class HoagRefusalIT {
  private static String[] training(String... more) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "train",
                "--method",
                "hoag",
                "--family",
                "meta-feature",
                "--inner-steps",
                "20",
                "--method-option",
                "cg-iterations=20",
                "--iterations",
                "3",
                "--meta-batch",
                "2",
                "--eval-episodes",
                "2",
                "--validate-every",
                "0"));
    arguments.addAll(List.of(more));
    return arguments.toArray(String[]::new);
  }

  @Test
  void aSingularLowerLevelIsRefusedOnceWithTheFixAndDampingTrains() {
    CliResult refused = BomlCli.run(training());
    assertEquals(1, refused.exitCode(), refused::toString);
    String stderr = refused.stderr();
    for (String part :
        List.of(
            "iteration 1, task 0: hypergradient module 'hoag'",
            "with dynamics 'gd'",
            "failed: hoag: conjugate gradient for H q = grad_y F stopped with relative residual",
            "--method-option damping=LAMBDA",
            "rhg, trhg or fmaml")) {
      assertTrue(stderr.contains(part), () -> "missing '" + part + "'" + refused);
    }
    assertEquals(
        1,
        stderr.split("hoag: conjugate gradient", -1).length - 1,
        () -> "the message must appear once" + refused);

    CliResult damped = BomlCli.run(training("--method-option", "damping=1e-2"));
    assertEquals(0, damped.exitCode(), damped::toString);
  }
}
