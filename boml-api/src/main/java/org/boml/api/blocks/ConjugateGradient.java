package org.boml.api.blocks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.function.UnaryOperator;
import org.boml.api.Differentiator;
import org.boml.api.Variables;

/**
 * Conjugate gradient for {@code H q = b}, with {@code H} symmetric positive definite and given only
 * by its products {@code v -> H v} (Hessian-vector products, {@code vjp(grad_y f, v, y)}), as in
 * the implicit hypergradient of HOAG (Pedregosa, ICML 2016) and iMAML (Rajeswaran et al., NeurIPS
 * 2019).
 *
 * <p>It stops when the relative residual {@code |b - H q| / |b|} falls to the tolerance ({@link
 * Stop#CONVERGED}), after the most products allowed ({@link Stop#CAP}), or at a search direction
 * {@code p} with non-positive curvature or in the numerical null space of {@code H} ({@link
 * Stop#NULL_SPACE}: a Rayleigh quotient {@code p^T H p / p^T p} at most {@link
 * #nullSpace(DataType)} times the largest one seen, where a step would divide rounding errors by
 * rounding errors, as on a cross-entropy head whose logits can all shift together); it then keeps
 * the current {@code q}. The caller decides whether a solve that did not converge is good enough.
 * Inner products are taken in float64 ({@link Variables#dot(Variables)}), and the scalars of the
 * updates are graph-safe constants of {@code b}'s type.
 *
 * @since 1.4.0
 */
public final class ConjugateGradient {
  /**
   * The null-space fraction in float64: a search direction whose Rayleigh quotient is at most this
   * fraction of the largest one seen lies in the numerical null space.
   */
  public static final double NULL_SPACE_FLOAT64 = 1e-10;

  /** The null-space fraction in float32 and narrower types. */
  public static final double NULL_SPACE_FLOAT32 = 1e-5;

  private ConjugateGradient() {}

  /** Why a solve stopped. */
  public enum Stop {
    /** The relative residual fell to the tolerance. */
    CONVERGED,
    /** The most products allowed were used first. */
    CAP,
    /**
     * A search direction had non-positive curvature or lay in the numerical null space (a Rayleigh
     * quotient at most the null-space fraction of the largest seen).
     */
    NULL_SPACE
  }

  /**
   * The result of a solve.
   *
   * @param solution {@code q}
   * @param iterations the number of products {@code H v} used
   * @param relativeResidual {@code |b - H q| / |b|} by the recurrence ({@code 0} if {@code b = 0})
   * @param stop why it stopped
   */
  public record Result(Variables solution, int iterations, double relativeResidual, Stop stop) {}

  /**
   * The null-space fraction of a data type.
   *
   * @param type the type of the vectors
   * @return {@link #NULL_SPACE_FLOAT64} for float64, else {@link #NULL_SPACE_FLOAT32}
   */
  public static double nullSpace(DataType type) {
    return type == DataType.FLOAT64 ? NULL_SPACE_FLOAT64 : NULL_SPACE_FLOAT32;
  }

  /**
   * Solves {@code H q = b}, starting from {@code q = 0} or from a given point; computing the
   * start's residual {@code b - H q_0} takes one product, and a start no better than zero ({@code
   * |b - H q_0| >= |b|}) is dropped.
   *
   * @param product {@code v -> H v}, results without a graph
   * @param b the right-hand side
   * @param start {@code q_0} with the names and shapes of {@code b}, or null for zero
   * @param maxIterations the most products, the start's included
   * @param tolerance stop when {@code |b - H q| <= tolerance |b|}
   * @param d for graph-safe scalar constants
   * @param manager where the constants live
   * @return the solution, the products used, the final relative residual and why it stopped
   */
  public static Result solve(
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
      return new Result(q, 0, 0, Stop.CONVERGED);
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
    double nullSpace = nullSpace(type);
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
        // H is not positive definite along this direction, or the direction lies in its numerical
        // null space, where a step would only amplify rounding errors: keep the current q
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
    return new Result(q, iterations, Math.sqrt(squared) / rhsNorm, stop);
  }

  /** {@code a * u + v}, with the scalar as an engine-owned array. */
  private static Variables axpy(
      double a, Variables u, Variables v, Differentiator d, NDManager manager, DataType type) {
    NDArray scale = d.constant(manager, a, type);
    return u.zip(v, (ui, vi) -> ui.mul(scale).add(vi));
  }
}
