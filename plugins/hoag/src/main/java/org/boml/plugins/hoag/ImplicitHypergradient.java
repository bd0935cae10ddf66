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
 * evaluates every derivative at {@code y_T} with the objective {@code f_{T-1}} of the last step,
 * and solves {@code H q = grad_y F} by conjugate gradient: each iteration is one Hessian-vector
 * product {@code H v = vjp(g, v, y)} on {@code g = grad_y f} built once with a graph. It stops when
 * the residual {@code |H q - grad_y F|} falls to {@code tolerance} times {@code |grad_y F|}, after
 * {@code cg-iterations} products, or when {@code H} shows non-positive curvature or a search
 * direction in its numerical null space (a Rayleigh quotient at most {@code 1e-10} of the largest
 * seen, {@code 1e-5} in float32: singular Hessians such as a cross-entropy head's, where a step
 * would divide rounding errors by rounding errors). A solve that ends above its tolerance is
 * refused with an {@link IllegalStateException} naming the residual, the products and the fixes: at
 * the cap, or at such a stop with the residual above both the tolerance and the square root of the
 * null-space fraction (then {@code grad_y F} reaches a direction along which {@code H} is singular
 * or not positive, {@code H q = grad_y F} has no solution, and {@code q} would be arbitrarily
 * large, as on a few-shot cross-entropy head with more features than support points); below it, the
 * stop only drops the rounding-size component of {@code grad_y F} along an exact null direction,
 * such as the shift of every logit, and the current {@code q} is used. The mixed term is one more
 * product, {@code vjp(g, q, x)}.
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
  /**
   * Conjugate gradient stops at a search direction whose Rayleigh quotient is at most this fraction
   * of the largest one seen, in float64: a direction of the Hessian's numerical null space.
   */
  static final double NULL_SPACE_FLOAT64 = 1e-10;

  /** {@link #NULL_SPACE_FLOAT64} for float32 and narrower types. */
  static final double NULL_SPACE_FLOAT32 = 1e-5;

  private final int maxIterations;
  private final double tolerance;
  private final double damping;
  private final boolean warmStart;
  private final AtomicReference<Remembered> previous = new AtomicReference<>();

  /**
   * The result of a conjugate-gradient solve.
   *
   * @param solution {@code q}
   * @param iterations the number of Hessian-vector products used
   * @param relativeResidual {@code |b - H q| / |b|} by the CG recurrence ({@code 0} if {@code b =
   *     0})
   * @param stop why it stopped
   */
  record Solve(Variables solution, int iterations, double relativeResidual, Stop stop) {}

  /** Why conjugate gradient stopped. */
  enum Stop {
    /** The relative residual fell to the tolerance. */
    CONVERGED,
    /** The cap on Hessian-vector products was reached first. */
    CAP,
    /**
     * A search direction had non-positive curvature or lay in the numerical null space (a Rayleigh
     * quotient at most the null-space fraction of the largest seen).
     */
    NULL_SPACE
  }

  /**
   * A hypergradient with the solve that produced it.
   *
   * @param hypergradient the result of {@link #compute}
   * @param solve the conjugate-gradient solve
   */
  record Outcome(Hypergradient hypergradient, Solve solve) {}

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
    if (steps < 1) {
      throw new IllegalArgumentException(
          "hoag differentiates at the end of the lower-level steps and needs at least one, got "
              + steps);
    }
    Variables y = dynamics.initialize(x, problem, d).map(NDArray::stopGradient);
    for (int t = 0; t < steps; t++) {
      y = dynamics.step(t, x, y, problem, d, false);
    }
    Variables last = y.map(d::leaf);
    NDArray upper = problem.upperObjective(x, last);
    List<NDArray> both = d.gradient(upper, Variables.concat(x, last), false);
    Variables direct = x.withValues(both.subList(0, x.size()));
    Variables upperGradient = last.withValues(both.subList(x.size(), both.size()));

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
    Solve solve =
        conjugateGradient(
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
    return new Outcome(Hypergradient.of(direct.zip(mixed, NDArray::sub), upper), solve);
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
  private void requireSolved(Solve solve, DataType type) {
    double nullSpace = type == DataType.FLOAT64 ? NULL_SPACE_FLOAT64 : NULL_SPACE_FLOAT32;
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

  /**
   * Solves {@code H q = b} for a symmetric positive definite {@code H} given by its products,
   * starting from {@code q = 0}.
   *
   * @param product {@code v -> H v}
   * @param b the right-hand side
   * @param maxIterations the most products
   * @param tolerance stop when {@code |b - H q| <= tolerance |b|}
   * @param d for graph-safe scalar constants
   * @param manager where the constants live
   * @return the solution, the products used and the final relative residual
   */
  static Solve conjugateGradient(
      UnaryOperator<Variables> product,
      Variables b,
      int maxIterations,
      double tolerance,
      Differentiator d,
      NDManager manager) {
    return conjugateGradient(product, b, null, maxIterations, tolerance, d, manager);
  }

  /**
   * Solves {@code H q = b} from a starting point; computing its residual {@code b - H q_0} takes
   * one of the products, and a start no better than zero ({@code |b - H q_0| >= |b|}) is dropped.
   *
   * @param product {@code v -> H v}
   * @param b the right-hand side
   * @param start {@code q_0}, or null for zero
   * @param maxIterations the most products, the start's included
   * @param tolerance stop when {@code |b - H q| <= tolerance |b|}
   * @param d for graph-safe scalar constants
   * @param manager where the constants live
   * @return the solution, the products used and the final relative residual
   */
  static Solve conjugateGradient(
      UnaryOperator<Variables> product,
      Variables b,
      Variables start,
      int maxIterations,
      double tolerance,
      Differentiator d,
      NDManager manager) {
    DataType type = b.values().get(0).getDataType();
    Variables q = b.map(NDArray::zerosLike);
    double rhsNorm = Math.sqrt(b.dot(b));
    if (rhsNorm == 0) {
      return new Solve(q, 0, 0, Stop.CONVERGED);
    }
    Variables residual = b;
    double squared = rhsNorm * rhsNorm;
    int iterations = 0;
    if (start != null) {
      Variables startResidual = b.zip(product.apply(start), NDArray::sub);
      iterations++;
      double startSquared = startResidual.dot(startResidual);
      if (startSquared < squared) {
        q = start;
        residual = startResidual;
        squared = startSquared;
      }
    }
    Variables direction = residual;
    double nullSpace = type == DataType.FLOAT64 ? NULL_SPACE_FLOAT64 : NULL_SPACE_FLOAT32;
    double largestQuotient = 0;
    Stop stop;
    while (true) {
      if (Math.sqrt(squared) <= tolerance * rhsNorm) {
        stop = Stop.CONVERGED;
        break;
      }
      if (iterations >= maxIterations) {
        stop = Stop.CAP;
        break;
      }
      Variables curvatureDirection = product.apply(direction);
      iterations++;
      double curvature = direction.dot(curvatureDirection);
      double quotient = curvature / direction.dot(direction);
      largestQuotient = Math.max(largestQuotient, quotient);
      if (!(quotient > nullSpace * largestQuotient)) {
        // H is not positive definite along this direction, or the direction lies in its
        // numerical null space (a singular Hessian, e.g. a cross-entropy head's: shifting every
        // logit of a point changes nothing), where a step would only amplify rounding errors:
        // keep the current q
        stop = Stop.NULL_SPACE;
        break;
      }
      double step = squared / curvature;
      q = axpy(step, direction, q, d, manager, type);
      residual = axpy(-step, curvatureDirection, residual, d, manager, type);
      double next = residual.dot(residual);
      direction = axpy(next / squared, direction, residual, d, manager, type);
      squared = next;
    }
    return new Solve(q, iterations, Math.sqrt(squared) / rhsNorm, stop);
  }

  /** {@code a * u + v}, with the scalar as an engine-owned array. */
  private static Variables axpy(
      double a, Variables u, Variables v, Differentiator d, NDManager manager, DataType type) {
    NDArray scale = d.constant(manager, a, type);
    return u.zip(v, (ui, vi) -> ui.mul(scale).add(vi));
  }
}
