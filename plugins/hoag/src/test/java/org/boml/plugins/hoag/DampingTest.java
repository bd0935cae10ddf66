package org.boml.plugins.hoag;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.Random;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModule;
import org.boml.api.Variables;
import org.boml.plugins.basicdynamics.GradientDescent;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The {@code damping} option and the run-time guard, in float64, on quadratic problems with a known
 * spectrum: {@code f = 1/2 y^T A y - y^T B x}, {@code F = 1/2 |y - c|^2}, {@code A = Q diag(a) Q^T}
 * with a Householder reflection {@code Q}, so that {@code y_T = A^+ B x} and the damped
 * hypergradient {@code B^T (A + lambda I)^-1 (y_T - c)} are closed forms computed here in plain
 * Java. With damping the result matches that closed form (and not the undamped or the mis-signed
 * one); a singular {@code A} whose null direction {@code grad_y F} reaches is refused without
 * damping, naming hoag, the residual, the products and the fixes; a null direction that {@code
 * grad_y F} does not reach (the logit shift of a cross-entropy head) is not refused.
 */
class DampingTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int BASE = 6;
  private static final int META = 3;
  private static final int STEPS = 600;
  private static final GradientDescent DYNAMICS = new GradientDescent(0.3);
  private static final double[] REGULAR = {0.3, 0.5, 1, 1.5, 2, 3};
  private static final double[] SINGULAR = {0, 0.5, 1, 1.5, 2, 3};

  static HypergradientModule hoag(double damping) {
    return new HoagProvider()
        .create(
            Map.of(
                HoagProvider.CG_ITERATIONS, "100",
                HoagProvider.TOLERANCE, "1e-12",
                HoagProvider.DAMPING, Double.toString(damping)));
  }

  @Test
  void dampingSolvesWithHPlusLambdaI() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Spectral problem = new Spectral(manager, REGULAR, 1, true);
      double lambda = 0.7;
      double[] got = hypergradient(hoag(lambda), problem);
      double[] exact = problem.closedForm(lambda);
      double error = relativeDistance(exact, got);
      System.out.printf(
          "hoag damping=%.1f vs B^T (A + lambda I)^-1 (y* - c): %.2e%n", lambda, error);
      assertTrue(error < 1e-9, "relative error " + error);
      // the test can fail: lambda ignored or with the wrong sign gives another number
      assertTrue(relativeDistance(exact, problem.closedForm(0)) > 1e-2);
      assertTrue(relativeDistance(exact, problem.closedForm(-0.2)) > 1e-2);
      // and the undamped module gives the undamped closed form
      assertTrue(relativeDistance(problem.closedForm(0), hypergradient(hoag(0), problem)) < 1e-9);
    }
  }

  @Test
  void aSingularHessianThatGradYFReachesIsRefusedAndDampingSolvesIt() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Spectral problem = new Spectral(manager, SINGULAR, 2, true);
      IllegalStateException error =
          assertThrows(IllegalStateException.class, () -> hypergradient(hoag(0), problem));
      String message = error.getMessage();
      System.out.println(message);
      for (String part :
          new String[] {
            "hoag:",
            "relative residual",
            "Hessian-vector products",
            "zero or negative curvature",
            "damping=",
            "rhg, trhg or fmaml"
          }) {
        assertTrue(message.contains(part), () -> "missing '" + part + "' in: " + message);
      }
      assertTrue(!message.contains("\n"), "one line: " + message);

      double lambda = 0.1;
      double[] exact = problem.closedForm(lambda);
      double damped = relativeDistance(exact, hypergradient(hoag(lambda), problem));
      assertTrue(damped < 1e-9, "relative error " + damped);
    }
  }

  /** Too few products for the tolerance is refused too, with the count and the cap named. */
  @Test
  void aSolveCutByTheCapIsRefused() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Spectral problem = new Spectral(manager, REGULAR, 3, true);
      HypergradientModule capped =
          new HoagProvider()
              .create(Map.of(HoagProvider.CG_ITERATIONS, "2", HoagProvider.TOLERANCE, "1e-10"));
      IllegalStateException error =
          assertThrows(IllegalStateException.class, () -> hypergradient(capped, problem));
      assertTrue(
          error.getMessage().contains("after 2 Hessian-vector products")
              && error.getMessage().contains("reached cg-iterations=2")
              && error.getMessage().contains("cg-iterations=N"),
          error.getMessage());
    }
  }

  /**
   * A null direction of the Hessian that {@code grad_y F} does not reach (as the shift of every
   * logit of a cross-entropy head) is accepted: the result is the pseudo-inverse solution's.
   */
  @Test
  void aNullDirectionThatGradYFDoesNotReachIsAccepted() {
    try (NDManager manager = NDManager.newBaseManager()) {
      Spectral problem = new Spectral(manager, SINGULAR, 4, false);
      double error = relativeDistance(problem.closedForm(0), hypergradient(hoag(0), problem));
      assertTrue(error < 1e-9, "relative error " + error);
    }
  }

  @Test
  void rejectsANegativeOrNonNumericDamping() {
    for (String bad : new String[] {"-1e-3", "much", "NaN", "Infinity"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> new HoagProvider().create(Map.of(HoagProvider.DAMPING, bad)));
      assertTrue(e.getMessage().contains("'damping'"), e.getMessage());
    }
  }

  private static double[] hypergradient(HypergradientModule module, Spectral problem) {
    Variables x = problem.x.map(D::leaf);
    return module.compute(problem, DYNAMICS, x, STEPS, D).gradient().get("x").toDoubleArray();
  }

  private static double relativeDistance(double[] exact, double[] other) {
    double difference = 0;
    double scale = 0;
    for (int i = 0; i < exact.length; i++) {
      difference += (exact[i] - other[i]) * (exact[i] - other[i]);
      scale += exact[i] * exact[i];
    }
    return Math.sqrt(difference / scale);
  }

  /**
   * {@code f = 1/2 y^T A y - y^T B x}, {@code F = 1/2 |y - c|^2}, {@code A = Q diag(a) Q^T}, {@code
   * Q = I - 2 u u^T / |u|^2}; where {@code a_0 = 0}, {@code B} has no component along the null
   * direction {@code Q e_0} (so {@code f} has minimizers and gradient descent from {@code 0} finds
   * {@code A^+ B x}), and {@code c} has one or not as asked.
   */
  private static final class Spectral implements BilevelProblem {
    private final NDManager manager;
    private final double[][] q;
    private final double[] eigenvalues;
    private final double[][] coupling;
    private final double[] target;
    private final double[] meta;
    private final NDArray curvature;
    private final NDArray couplingArray;
    private final NDArray targetArray;
    private final NDArray half;
    final Variables x;

    Spectral(NDManager manager, double[] eigenvalues, long seed, boolean targetReachesNull) {
      this.manager = manager;
      this.eigenvalues = eigenvalues.clone();
      Random random = new Random(seed);
      double[] u = gaussian(random, BASE);
      double uu = dot(u, u);
      q = new double[BASE][BASE];
      for (int i = 0; i < BASE; i++) {
        for (int j = 0; j < BASE; j++) {
          q[i][j] = (i == j ? 1 : 0) - 2 * u[i] * u[j] / uu;
        }
      }
      // B = Q diag(s) R with s_i = 0 where a_i = 0: B x stays in the range of A
      double[][] r = new double[BASE][];
      for (int k = 0; k < BASE; k++) {
        r[k] = gaussian(random, META);
        if (eigenvalues[k] == 0) {
          java.util.Arrays.fill(r[k], 0);
        }
      }
      coupling = new double[BASE][META];
      for (int i = 0; i < BASE; i++) {
        for (int j = 0; j < META; j++) {
          for (int k = 0; k < BASE; k++) {
            coupling[i][j] += q[i][k] * r[k][j];
          }
        }
      }
      double[] c = gaussian(random, BASE);
      if (!targetReachesNull) {
        for (int k = 0; k < BASE; k++) {
          if (eigenvalues[k] == 0) {
            double along = 0;
            for (int i = 0; i < BASE; i++) {
              along += q[i][k] * c[i];
            }
            for (int i = 0; i < BASE; i++) {
              c[i] -= along * q[i][k];
            }
          }
        }
      }
      target = c;
      meta = gaussian(random, META);
      double[] a = new double[BASE * BASE];
      for (int i = 0; i < BASE; i++) {
        for (int j = 0; j < BASE; j++) {
          for (int k = 0; k < BASE; k++) {
            a[i * BASE + j] += q[i][k] * eigenvalues[k] * q[j][k];
          }
        }
      }
      double[] b = new double[BASE * META];
      for (int i = 0; i < BASE; i++) {
        System.arraycopy(coupling[i], 0, b, i * META, META);
      }
      curvature = owned(manager, a, new Shape(BASE, BASE));
      couplingArray = owned(manager, b, new Shape(BASE, META));
      targetArray = owned(manager, target, new Shape(BASE));
      half = D.constant(manager, 0.5, DataType.FLOAT64);
      x = Variables.of(Map.of("x", owned(manager, meta, new Shape(META))));
    }

    /**
     * {@code B^T (A + lambda I)^+ (y* - c)} with {@code y* = A^+ B x}: the pseudo-inverse drops the
     * components where {@code a_k + lambda = 0}.
     */
    double[] closedForm(double lambda) {
      double[] bx = new double[BASE];
      for (int i = 0; i < BASE; i++) {
        for (int j = 0; j < META; j++) {
          bx[i] += coupling[i][j] * meta[j];
        }
      }
      double[] optimum = applySpectral(bx, k -> eigenvalues[k]);
      double[] rhs = new double[BASE];
      for (int i = 0; i < BASE; i++) {
        rhs[i] = optimum[i] - target[i];
      }
      double[] solution = applySpectral(rhs, k -> eigenvalues[k] + lambda);
      double[] result = new double[META];
      for (int j = 0; j < META; j++) {
        for (int i = 0; i < BASE; i++) {
          result[j] += coupling[i][j] * solution[i];
        }
      }
      return result;
    }

    /** {@code Q diag(1 / d_k)^+ Q^T v}. */
    private double[] applySpectral(double[] v, java.util.function.IntToDoubleFunction diagonal) {
      double[] result = new double[BASE];
      for (int k = 0; k < BASE; k++) {
        double d = diagonal.applyAsDouble(k);
        if (d == 0) {
          continue;
        }
        double along = 0;
        for (int i = 0; i < BASE; i++) {
          along += q[i][k] * v[i];
        }
        for (int i = 0; i < BASE; i++) {
          result[i] += q[i][k] * along / d;
        }
      }
      return result;
    }

    @Override
    public NDArray lowerObjective(int step, Variables x, Variables y) {
      NDArray base = y.get("y");
      return base.matMul(curvature.matMul(base))
          .mul(half)
          .sub(base.matMul(couplingArray.matMul(x.get("x"))));
    }

    @Override
    public NDArray upperObjective(Variables x, Variables y) {
      return y.get("y").sub(targetArray).square().sum().mul(half);
    }

    @Override
    public Variables initialBase(Variables x) {
      return Variables.of(Map.of("y", manager.zeros(new Shape(BASE), DataType.FLOAT64)));
    }

    @Override
    public NDManager manager() {
      return manager;
    }

    private static double[] gaussian(Random random, int size) {
      double[] values = new double[size];
      for (int i = 0; i < size; i++) {
        values[i] = random.nextGaussian();
      }
      return values;
    }

    private static double dot(double[] a, double[] b) {
      double sum = 0;
      for (int i = 0; i < a.length; i++) {
        sum += a[i] * b[i];
      }
      return sum;
    }

    private static NDArray owned(NDManager manager, double[] values, Shape shape) {
      try (NDArray javaBacked = manager.create(values, shape)) {
        return javaBacked.duplicate();
      }
    }
  }
}
