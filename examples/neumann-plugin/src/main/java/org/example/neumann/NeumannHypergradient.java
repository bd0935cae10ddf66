package org.example.neumann;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Variables;
import org.boml.api.blocks.UpperGradient;

/**
 * The implicit hypergradient with a truncated Neumann series for the inverse Hessian (Lorraine,
 * Vicol and Duvenaud, "Optimizing Millions of Hyperparameters by Implicit Differentiation", AISTATS
 * 2020).
 *
 * <p>If {@code y*(x)} minimizes {@code f(x, .)} and {@code H = partial_yy f(x, y*)} is invertible,
 * the implicit function theorem applied to {@code grad_y f(x, y*(x)) = 0} gives {@code d y*(x) / dx
 * = -H^-1 partial_x grad_y f}, hence
 *
 * <pre>
 *   dF(x, y*(x))/dx = partial_x F - (partial_x grad_y f)^T H^-1 v,     v = grad_y F(x, y*).
 * </pre>
 *
 * For a symmetric positive definite {@code H} and {@code 0 < alpha lambda_max(H) < 2} the Neumann
 * series {@code H^-1 = alpha sum_{k >= 0} (I - alpha H)^k} converges; truncated after {@code K + 1}
 * terms ({@code K} = option {@code terms}) it gives
 *
 * <pre>
 *   p_K   = sum_{k=0..K} (I - alpha H)^k v
 *   dF/dx ~ partial_x F - alpha (partial_x grad_y f)^T p_K
 * </pre>
 *
 * computed by the recurrence {@code w_0 = p_0 = v}, {@code w_k = w_{k-1} - alpha H w_{k-1}}, {@code
 * p_k = p_{k-1} + w_k}: {@code K} Hessian-vector products {@code H w = vjp(g, w, y)} on {@code g =
 * grad_y f} built once with a graph, and one more product {@code vjp(g, p_K, x)} for the mixed
 * term. The truncation error is {@code alpha sum_{k > K} (I - alpha H)^k v = (I - alpha H)^{K+1}
 * H^-1 v}, so the relative error of {@code alpha p_K} as {@code H^-1 v} is at most {@code (1 -
 * alpha lambda_min(H))^{K+1}}: it falls geometrically with {@code K}, slowly when {@code H} is
 * ill-conditioned. Lorraine et al. point out that {@code alpha p_K} is exactly what
 * back-propagation through {@code K + 1} gradient-descent steps of size {@code alpha} started at
 * {@code y*} would give; a small {@code K} is therefore a cheap, biased but stable approximation.
 *
 * <p>As in HOAG the module runs the {@code T} lower-level steps without a graph to get {@code y_T ~
 * y*} and evaluates every derivative at {@code y_T}, with the objective {@code f_{T-1}} of the last
 * step (boml-api's building block {@link UpperGradient#atEnd}). Memory does not grow with {@code T}
 * or {@code K}, and the dynamics need not be differentiable. {@code Psi_0} plays no part: for
 * meta-initialization ({@code x} reaches {@code f} only through {@code y_0}) the result is just
 * {@code partial_x F}. Use it when {@code x} enters {@code f} (hyperparameters, shared features)
 * and {@code f} is strongly convex in {@code y} near the solution. If {@code alpha lambda_max(H) >
 * 2}, or {@code H} has negative curvature, the series diverges; a sum that is no longer finite is
 * reported as an error that names {@code alpha}.
 *
 * <p>The module keeps no state and is safe to share between threads: {@link #compute} runs
 * concurrently for the tasks of a meta-batch, each with its own problem.
 */
final class NeumannHypergradient implements HypergradientModule {
  private final int terms;
  private final double alpha;

  /**
   * A module with the given series.
   *
   * @param terms {@code K >= 0}, the number of Hessian-vector products
   * @param alpha the series' step, {@code > 0}
   */
  NeumannHypergradient(int terms, double alpha) {
    if (terms < 0) {
      throw new IllegalArgumentException("terms must be >= 0, got " + terms);
    }
    if (!(alpha > 0) || !Double.isFinite(alpha)) {
      throw new IllegalArgumentException("alpha must be a positive number, got " + alpha);
    }
    this.terms = terms;
    this.alpha = alpha;
  }

  @Override
  public Hypergradient compute(
      BilevelProblem problem, IterationModule dynamics, Variables x, int steps, Differentiator d) {
    // y_T without any graph (memory does not grow with T), then partial_x F and v = grad_y F at
    // (x, y_T) in one call and without a graph: boml-api's building block.
    UpperGradient upper = UpperGradient.atEnd(problem, dynamics, x, steps, d);
    Variables last = upper.point();
    Variables direct = upper.gradientX();
    Variables v = upper.gradientY();

    // g = grad_y f with a graph, so that H w = vjp(g, w, y) and the mixed term vjp(g, p, x).
    Variables lowerGradient = d.gradient(problem.lowerObjective(steps - 1, x, last), last, true);
    DataType type = v.values().get(0).getDataType();
    NDArray step = d.constant(problem.manager(), alpha, type); // never NDArray.mul(Number)
    Variables sum = neumannSum(w -> d.vjp(lowerGradient, w, last, false), v, terms, step);
    requireFinite(sum);

    Variables mixed = d.vjp(lowerGradient, sum, x, false);
    Variables gradient =
        direct.zip(
            mixed,
            (a, b) -> {
              try (NDArray scaled = b.mul(step)) {
                return a.sub(scaled);
              }
            });
    return new Hypergradient(gradient, upper.value());
  }

  /**
   * The truncated Neumann sum {@code p_K = sum_{k=0..K} (I - alpha H)^k v}; intermediate arrays are
   * closed as soon as they are no longer needed.
   *
   * @param product {@code w -> H w}, results without a graph
   * @param v the vector the series is applied to; not closed
   * @param terms {@code K}, the number of products
   * @param alpha the series' step, a graph-safe scalar of the vectors' type
   * @return {@code p_K} ({@code v} itself when {@code K = 0})
   */
  static Variables neumannSum(
      UnaryOperator<Variables> product, Variables v, int terms, NDArray alpha) {
    Variables current = v;
    Variables sum = v;
    for (int k = 1; k <= terms; k++) {
      Variables curvature = product.apply(current);
      Variables next =
          current.zip(
              curvature,
              (w, hw) -> {
                try (NDArray scaled = hw.mul(alpha)) {
                  return w.sub(scaled);
                }
              });
      Variables nextSum = sum.zip(next, NDArray::add);
      close(curvature);
      if (current != v) {
        close(current);
      }
      if (sum != v) {
        close(sum);
      }
      current = next;
      sum = nextSum;
    }
    if (current != v) {
      close(current);
    }
    return sum;
  }

  private void requireFinite(Variables sum) {
    double squares = 0;
    for (NDArray value : sum.values()) {
      try (NDArray norm = value.square().sum();
          NDArray wide = norm.toType(DataType.FLOAT64, false)) {
        squares += wide.getDouble();
      }
    }
    if (!Double.isFinite(squares)) {
      throw new IllegalStateException(
          String.format(
              Locale.ROOT,
              "neumann: the Neumann series diverged (its sum after %d terms is not finite); it converges"
                  + " only when alpha times the largest eigenvalue of the lower-level Hessian is below 2"
                  + " and the Hessian has no negative curvature: lower alpha (now %s) or terms, or bring"
                  + " y_T closer to a minimum (more or smaller lower-level steps)",
              terms,
              alpha));
    }
  }

  private static void close(Variables variables) {
    variables.values().forEach(NDArray::close);
  }

  @Override
  public String toString() {
    return "neumann{terms=" + terms + ", alpha=" + alpha + "}";
  }
}
