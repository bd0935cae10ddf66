package org.boml.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.boml.api.Variables;
import org.junit.jupiter.api.Test;

/** The lower objective of the wrapped problem, unless a state variable reaches it. */
class StateBlindProblemTest {
  @Test
  void passesTheBaseParametersThroughAndFailsOnState() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 2, 3, 5);
      StateBlindProblem problem =
          new StateBlindProblem(quadratic, name -> name.endsWith("#velocity"));
      Variables x = quadratic.initialMeta(6);
      Variables y = problem.initialBase(x);
      assertEquals(
          quadratic.lowerObjective(2, x, y).getDouble(),
          problem.lowerObjective(2, x, y).getDouble());
      assertEquals(
          quadratic.upperObjective(x, y).getDouble(), problem.upperObjective(x, y).getDouble());
      Variables withState =
          Variables.of(List.of("y", "y#velocity"), List.of(y.get("y"), y.get("y")));
      AssertionError e =
          assertThrows(AssertionError.class, () -> problem.lowerObjective(2, x, withState));
      assertTrue(e.getMessage().contains("[y#velocity] at step 2"), e.getMessage());
    }
  }
}
