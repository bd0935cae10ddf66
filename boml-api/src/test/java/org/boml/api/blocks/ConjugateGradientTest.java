package org.boml.api.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.boml.api.Differentiator;
import org.boml.api.OwnedArrays;
import org.boml.api.Variables;
import org.junit.jupiter.api.Test;

/**
 * Conjugate gradient in float64 on a dense symmetric positive definite matrix {@code A = M M^T / n
 * + I/2} (eigenvalues in [1/2, ~5]) against its closed-form solution {@code A^-1 b}: the tolerance
 * and the cap are obeyed, the reported residual is the true one, a good start saves products and a
 * bad one is dropped, and a singular matrix stops at its numerical null space.
 */
class ConjugateGradientTest {
  private static final int SIZE = 20;

  /** Only the graph-safe constants that conjugate gradient asks for; no autodiff is needed. */
  private static final Differentiator CONSTANTS =
      new Differentiator() {
        @Override
        public List<NDArray> vjp(
            List<NDArray> outputs,
            List<NDArray> cotangents,
            List<NDArray> wrt,
            boolean createGraph) {
          throw new UnsupportedOperationException("conjugate gradient takes no derivatives");
        }

        @Override
        public List<NDArray> gradient(NDArray scalar, List<NDArray> wrt, boolean createGraph) {
          throw new UnsupportedOperationException("conjugate gradient takes no derivatives");
        }

        @Override
        public NDArray track(NDArray array) {
          throw new UnsupportedOperationException("conjugate gradient takes no derivatives");
        }

        @Override
        public NDArray leaf(NDArray array) {
          throw new UnsupportedOperationException("conjugate gradient takes no derivatives");
        }

        @Override
        public NDArray constant(NDManager manager, double value, DataType dataType) {
          return OwnedArrays.owned(manager.create(value), dataType);
        }
      };

  private static NDArray owned(NDManager manager, double[] values, Shape shape) {
    return OwnedArrays.owned(manager.create(values, shape), DataType.FLOAT64);
  }

  private static NDArray spd(NDManager manager, long seed) {
    Random random = new Random(seed);
    double[] values = new double[SIZE * SIZE];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
    }
    NDArray m = owned(manager, values, new Shape(SIZE, SIZE));
    NDArray half = CONSTANTS.constant(manager, 0.5, DataType.FLOAT64);
    NDArray scale = CONSTANTS.constant(manager, 1.0 / SIZE, DataType.FLOAT64);
    return m.matMul(m.transpose())
        .mul(scale)
        .add(manager.eye(SIZE, SIZE, 0, DataType.FLOAT64).mul(half));
  }

  private static Variables rightHandSide(NDManager manager) {
    return Variables.of(Map.of("y", manager.arange(SIZE).toType(DataType.FLOAT64, false).sin()));
  }

  private static UnaryOperator<Variables> times(NDArray matrix) {
    return v -> v.map(matrix::matMul);
  }

  /** |b - A q| / |b|, recomputed. */
  private static double residual(NDArray matrix, Variables q, Variables b) {
    Variables r = b.zip(times(matrix).apply(q), NDArray::sub);
    return Math.sqrt(r.dot(r) / b.dot(b));
  }

  @Test
  void reachesTheToleranceOrTheCap() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = spd(manager, 29);
      Variables b = rightHandSide(manager);
      Variables exact = Variables.of(Map.of("y", a.inverse().matMul(b.get("y"))));
      for (double tolerance : new double[] {1e-2, 1e-8}) {
        ConjugateGradient.Result solve =
            ConjugateGradient.solve(times(a), b, null, 100, tolerance, CONSTANTS, manager);
        assertEquals(ConjugateGradient.Stop.CONVERGED, solve.stop(), solve.toString());
        assertTrue(solve.relativeResidual() <= tolerance, solve.toString());
        double recomputed = residual(a, solve.solution(), b);
        assertTrue(recomputed <= 1.01 * tolerance, "recomputed residual " + recomputed);
        assertTrue(solve.iterations() <= SIZE + 2, "iterations " + solve.iterations());
      }
      ConjugateGradient.Result tight =
          ConjugateGradient.solve(times(a), b, null, 100, 1e-12, CONSTANTS, manager);
      Variables difference = tight.solution().zip(exact, NDArray::sub);
      double error = Math.sqrt(difference.dot(difference) / exact.dot(exact));
      assertTrue(error < 1e-10, "relative error vs A^-1 b " + error);
      ConjugateGradient.Result capped =
          ConjugateGradient.solve(times(a), b, null, 3, 1e-12, CONSTANTS, manager);
      assertEquals(3, capped.iterations());
      assertEquals(ConjugateGradient.Stop.CAP, capped.stop());
      assertEquals(capped.relativeResidual(), residual(a, capped.solution(), b), 1e-9);
      assertTrue(capped.relativeResidual() > 1e-3, capped.toString());
    }
  }

  /**
   * Starting at the solution costs the one product of the start's residual; a start worse than zero
   * is dropped and the solve is the cold one.
   */
  @Test
  void aGoodStartSavesProductsAndABadOneIsDropped() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray a = spd(manager, 31);
      Variables b = rightHandSide(manager);
      Variables exact = Variables.of(Map.of("y", a.inverse().matMul(b.get("y"))));
      ConjugateGradient.Result warm =
          ConjugateGradient.solve(times(a), b, exact, 100, 1e-8, CONSTANTS, manager);
      assertEquals(1, warm.iterations(), warm.toString());
      assertSame(exact, warm.solution());
      NDArray ten = CONSTANTS.constant(manager, 10, DataType.FLOAT64);
      Variables bad = b.map(v -> v.mul(ten));
      ConjugateGradient.Result cold =
          ConjugateGradient.solve(times(a), b, null, 100, 1e-8, CONSTANTS, manager);
      ConjugateGradient.Result dropped =
          ConjugateGradient.solve(times(a), b, bad, 100, 1e-8, CONSTANTS, manager);
      assertEquals(cold.iterations() + 1, dropped.iterations());
      assertEquals(cold.relativeResidual(), dropped.relativeResidual(), 0);
    }
  }

  /** b = 0 needs no product: q = 0. */
  @Test
  void aZeroRightHandSideIsSolvedByZero() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables b = Variables.of(Map.of("y", manager.zeros(new Shape(SIZE), DataType.FLOAT64)));
      ConjugateGradient.Result solve =
          ConjugateGradient.solve(
              v -> {
                throw new AssertionError("no product expected");
              },
              b,
              null,
              10,
              1e-8,
              CONSTANTS,
              manager);
      assertEquals(0, solve.iterations());
      assertEquals(0, solve.relativeResidual());
      assertEquals(0, solve.solution().dot(solve.solution()));
    }
  }

  /**
   * On a singular Hessian (a null direction with a rounding-size curvature, and a right-hand side
   * with a rounding-size component along it, as on a cross-entropy head) conjugate gradient stops
   * at the numerical null space instead of dividing noise by noise: the solution is the
   * minimum-norm one up to the null component CG picked up before (about 1e-8). Without the stop
   * its last entry is about 1e12.
   */
  @Test
  void stopsAtTheNumericalNullSpace() {
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray curvatures = owned(manager, new double[] {1, 2, 3, 4, 1e-20}, new Shape(5));
      Variables b =
          Variables.of(Map.of("y", owned(manager, new double[] {1, 1, 1, 1, 1e-8}, new Shape(5))));
      ConjugateGradient.Result solve =
          ConjugateGradient.solve(
              v -> v.map(x -> x.mul(curvatures)), b, null, 50, 1e-15, CONSTANTS, manager);
      assertEquals(ConjugateGradient.Stop.NULL_SPACE, solve.stop(), solve.toString());
      double[] q = solve.solution().get("y").toDoubleArray();
      double[] expected = {1, 0.5, 1 / 3.0, 0.25};
      for (int i = 0; i < expected.length; i++) {
        assertEquals(expected[i], q[i], 1e-12, solve.toString());
      }
      assertEquals(0, q[4], 1e-6, solve.toString());
    }
  }

  @Test
  void theNullSpaceFractionDependsOnThePrecision() {
    assertEquals(1e-10, ConjugateGradient.nullSpace(DataType.FLOAT64));
    assertEquals(1e-5, ConjugateGradient.nullSpace(DataType.FLOAT32));
    assertEquals(1e-5, ConjugateGradient.nullSpace(DataType.FLOAT16));
  }
}
