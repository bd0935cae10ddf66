package org.boml.plugins.hoag;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.ConjugateGradient;
import org.boml.api.blocks.UpperGradient;

/**
 * The implicit hypergradient of HOAG (Pedregosa, "Hyperparameter optimization with approximate
 * gradient", ICML 2016).
 *
 * <p>If {@code y*(x)} minimizes {@code f(x, .)} and the Hessian {@code H = partial_yy f(x, y*)} is
 * invertible, the implicit function theorem applied to {@code grad_y f(x, y*(x)) = 0} gives {@code
 * dy*(x) / dx = -H^-1 partial_xy f}, hence
 *
 * <pre>
 *   dF(x, y*(x))/dx = partial_x F - (partial_x grad_y f)^T q,   H q = grad_y F(x, y*).
 * </pre>
 *
 * The module runs the {@code T} lower-level steps without a graph to get {@code y_T ~ y*},
 * evaluates every derivative at {@code y_T} with the objective {@code f_{T-1}} of the last step
 * (boml-api's {@link UpperGradient#atEnd}), and solves {@code H q = grad_y F} by conjugate gradient
 * (boml-api's {@link ConjugateGradient}): each iteration is one Hessian-vector product {@code H v =
 * vjp(g, v, y)} on {@code g = grad_y f} built once with a graph. It stops when the residual {@code
 * |H q - grad_y F|} falls to {@code tolerance} times {@code |grad_y F|}, after {@code
 * cg-iterations} products, or when {@code H} shows non-positive curvature or a search direction in
 * its numerical null space (a Rayleigh quotient at most {@code 1e-10} of the largest seen, {@code
 * 1e-5} in float32: singular Hessians such as a cross-entropy head's, where a step would divide
 * rounding errors by rounding errors). A solve that ends above its tolerance is refused with an
 * {@link IllegalStateException} naming the residual, the products and the fixes: at the cap, or at
 * such a stop with the residual above both the tolerance and the square root of the null-space
 * fraction (then {@code grad_y F} reaches a direction along which {@code H} is singular or not
 * positive, {@code H q = grad_y F} has no solution, and {@code q} would be arbitrarily large, as on
 * a few-shot cross-entropy head with more features than support points); below it, the stop only
 * drops the rounding-size component of {@code grad_y F} along an exact null direction, such as the
 * shift of every logit, and the current {@code q} is used. The mixed term is one more product,
 * {@code vjp(g, q, x)}.
 *
 * <p>Damping ({@code damping = lambda > 0}): CG solves {@code (H + lambda I) q = grad_y F}, one
 * product {@code H v + lambda v} per iteration, the proximal (Tikhonov) regularization of iMAML
 * (Rajeswaran et al., "Meta-learning with implicit gradients", NeurIPS 2019). The result is the
 * implicit formula above with {@code H} replaced by {@code H + lambda I}. It is exactly the
 * hypergradient of the lower problem {@code f(x, y) + lambda/2 |y - y_T|^2 - <g_T, y>}, whose
 * anchor {@code y_T} and tilt {@code g_T = grad_y f(x, y_T)} are held fixed (they do not depend on
 * {@code x}): that problem has {@code y_T} as a stationary point at the current {@code x}, the
 * Hessian {@code H + lambda I} there and the same mixed derivative {@code partial_x grad_y f}; when
 * {@code y_T} is a stationary point of {@code f} the tilt is zero and it is the proximal problem
 * {@code f + lambda/2 |y - y_T|^2}. It differs from the undamped hypergradient by {@code O(lambda)}
 * where {@code H} is invertible, and bounds {@code |q| <= |grad_y F| / lambda} where it is not.
 *
 * <p>Memory does not grow with {@code T}, and the dynamics need not be differentiable; the price is
 * an error proportional to how far {@code y_T} is from a minimizer and to the CG residual
 * (Pedregosa bounds the resulting gradient error). {@code Psi_0} plays no part: the result assumes
 * the lower-level solution does not depend on where the steps started, so for meta-initialization
 * ({@code x} reaches {@code f} only through {@code y_0}) it is just {@code partial_x F}. Use it
 * when {@code x} enters {@code f} (hyperparameters, shared features) and {@code f} is strongly
 * convex in {@code y} near the solution.
 *
 * <p>Warm start ({@code warm-start=true}): HOAG starts each CG solve from the previous outer
 * iteration's solution, which is close when {@code x} moved little, so the tolerance is reached in
 * fewer products. The module then remembers the last solution {@code q} (a heap copy, in an atomic
 * reference: calls from several threads never see a half-written one) and starts the next solve
 * from it when the names and shapes agree; if the remembered {@code q} is a worse start than zero
 * ({@code |b - H q| >= |b|}), CG starts from zero instead. Computing the starting residual costs
 * one product. The stopping rule is unchanged, so the result is the same to the tolerance. It is
 * off by default because the module cannot tell which problem a call is about: with the runtime's
 * {@code HyperparameterOptimizer}, which solves one problem at every outer step, the previous
 * {@code q} is the right start; in meta-training, consecutive calls solve different tasks on
 * several threads, so a start would come from another task, and the number of products and the last
 * digits would depend on the order in which the threads finish.
 */
final class ImplicitHypergradient implements HypergradientModule {
  private final int maxIterations;
  private final double tolerance;
  private final double damping;
  private final boolean warmStart;
  private final AtomicReference<Remembered> previous = new AtomicReference<>();

  /**
   * A hypergradient with the solve that produced it.
   *
   * @param hypergradient the result of {@link #compute}
   * @param solve the conjugate-gradient solve
   */
  record Outcome(Hypergradient hypergradient, ConjugateGradient.Result solve) {}

  /**
   * A solution kept for the next warm start, on the heap so that it outlives the task's manager.
   *
   * @param names the variables' names
   * @param shapes their shapes
   * @param values their values
   */
  private record Remembered(List<String> names, List<Shape> shapes, List<double[]> values) {
    static Remembered of(Variables q) {
      return new Remembered(
          q.names(),
          q.values().stream().map(NDArray::getShape).toList(),
          q.values().stream().map(v -> v.toType(DataType.FLOAT64, false).toDoubleArray()).toList());
    }

    /** The solution as arrays like {@code b}'s, or null if it does not fit. */
    Variables restore(Variables b, NDManager manager) {
      List<Shape> expected = b.values().stream().map(NDArray::getShape).toList();
      if (!names.equals(b.names()) || !shapes.equals(expected)) {
        return null;
      }
      DataType type = b.values().get(0).getDataType();
      List<NDArray> arrays = new ArrayList<>(values.size());
      for (int i = 0; i < values.size(); i++) {
        // an engine-owned copy: the array made from Java data must not outlive its buffer
        // (toType may alias the Java-backed memory when the type is the same: clone it)
        try (NDArray javaBacked = manager.create(values.get(i), shapes.get(i));
            NDArray converted = javaBacked.toType(type, false)) {
          arrays.add(converted.duplicate());
        }
      }
      return Variables.of(names, arrays);
    }
  }

  /**
   * A module with the given conjugate-gradient limits.
   *
   * @param maxIterations the most Hessian-vector products per solve, {@code >= 1}
   * @param tolerance the relative residual at which CG stops, {@code >= 0}
   * @param damping {@code lambda >= 0}: the system solved is {@code (H + lambda I) q = grad_y F}
   * @param warmStart whether each solve starts from the previous call's solution
   */
  ImplicitHypergradient(int maxIterations, double tolerance, double damping, boolean warmStart) {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("cg-iterations must be >= 1, got " + maxIterations);
    }
    if (!(tolerance >= 0) || !Double.isFinite(tolerance)) {
      throw new IllegalArgumentException("tolerance must be a number >= 0, got " + tolerance);
    }
    if (!(damping >= 0) || !Double.isFinite(damping)) {
      throw new IllegalArgumentException("damping must be a number >= 0, got " + damping);
    }
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
    this.damping = damping;
    this.warmStart = warmStart;
  }

  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    return computeWithSolve(problem, dynamics, x, steps, d).hypergradient();
  }

  /** {@link #compute}, also returning the conjugate-gradient solve (for tests and reports). */
  Outcome computeWithSolve(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    UpperGradient upper = UpperGradient.atEnd(problem, dynamics, x, steps, d);
    Variables last = upper.point();
    Variables upperGradient = upper.gradientY();
    Variables lowerGradient = d.gradient(problem.lowerObjective(steps - 1, x, last), last, true);
    Remembered remembered = warmStart ? previous.get() : null;
    DataType type = upperGradient.values().get(0).getDataType();
    UnaryOperator<Variables> hessian = v -> d.vjp(lowerGradient, v, last, false);
    UnaryOperator<Variables> product;
    if (damping == 0) {
      product = hessian;
    } else {
      NDArray lambda = d.constant(problem.manager(), damping, type);
      product = v -> hessian.apply(v).zip(v, (hv, vi) -> vi.mul(lambda).add(hv));
    }
    ConjugateGradient.Result solve =
        ConjugateGradient.solve(
            product,
            upperGradient,
            remembered == null ? null : remembered.restore(upperGradient, problem.manager()),
            maxIterations,
            tolerance,
            d,
            problem.manager());
    requireSolved(solve, type);
    if (warmStart) {
      previous.set(Remembered.of(solve.solution()));
    }
    Variables mixed = d.vjp(lowerGradient, solve.solution(), x, false);
    return new Outcome(
        new Hypergradient(upper.gradientX().zip(mixed, NDArray::sub), upper.value()), solve);
  }

  /**
   * Refuses a solve that did not reach its tolerance: CG ran out of products with the relative
   * residual above {@code tolerance}, or stopped at non-positive curvature or the numerical null
   * space with the residual above both the tolerance and the square root of the null-space fraction
   * ({@code 1e-5} in float64, about {@code 3e-3} in float32). Below that, the stop is the rounding
   * component of {@code grad_y F} along an exact null direction, such as the shift of every logit
   * of a cross-entropy head, and the solution is kept; above it, {@code grad_y F} reaches a
   * direction along which {@code H} is singular or not positive, {@code H q = grad_y F} has no
   * solution, and whatever {@code q} CG holds would give a hypergradient of arbitrary size.
   *
   * @throws IllegalStateException naming hoag, the residual, the products and the fixes
   */
  private void requireSolved(ConjugateGradient.Result solve, DataType type) {
    double nullSpace = ConjugateGradient.nullSpace(type);
    double residual = solve.relativeResidual();
    String cause;
    String fix;
    switch (solve.stop()) {
      case CONVERGED -> {
        return;
      }
      case CAP -> {
        if (residual <= tolerance) {
          return;
        }
        cause = "reached cg-iterations=" + maxIterations;
        fix =
            "raise --method-option cg-iterations=N or tolerance=EPS, or set --method-option"
                + " damping=LAMBDA (e.g. 1e-2; now "
                + damping
                + ") to solve the better conditioned (H + LAMBDA I) q = grad_y F";
      }
      case NULL_SPACE -> {
        if (residual <= Math.max(tolerance, Math.sqrt(nullSpace))) {
          return;
        }
        cause =
            "met a direction of zero or negative curvature: the lower-level Hessian H at y_T is"
                + " singular or not positive definite along a direction that grad_y F reaches, so"
                + " H q = grad_y F has no solution (e.g. a few-shot cross-entropy head with more"
                + " features than support points, or y_T far from a minimum)";
        fix =
            "set --method-option damping=LAMBDA (e.g. 1e-2; now "
                + damping
                + ") to solve (H + LAMBDA I) q = grad_y F, or take more lower-level steps";
      }
      default -> throw new AssertionError(solve.stop());
    }
    throw new IllegalStateException(
        String.format(
            Locale.ROOT,
            "hoag: conjugate gradient for %s stopped with relative residual %.3g"
                + " (tolerance %.3g) after %d Hessian-vector products: it %s; the implicit"
                + " hypergradient would be wrong. Fix: %s; or use --method rhg, trhg or fmaml",
            damping == 0 ? "H q = grad_y F" : "(H + " + damping + " I) q = grad_y F",
            residual,
            tolerance,
            solve.iterations(),
            cause,
            fix));
  }
}
