package org.boml.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;

/**
 * Reverse-mode automatic differentiation, supplied by the runtime.
 *
 * <p>It is {@code torch.autograd.grad}: it never writes {@code .grad} fields, differentiates with
 * respect to leaf and non-leaf arrays, and with {@code createGraph} returns results that can be
 * differentiated again (Hessian-vector products, second-order meta-gradients). It is safe to call
 * from several threads at once. Inputs that the output does not depend on get zero gradients.
 */
public interface Differentiator {
  /**
   * Vector-Jacobian product {@code sum_k cotangents[k]^T d outputs[k] / d wrt[i]} for every {@code
   * i}.
   *
   * @param outputs the arrays to differentiate
   * @param cotangents one array per output, of the output's shape
   * @param wrt the arrays to differentiate with respect to; each must take part in the graph (use
   *     {@link #track(NDArray)})
   * @param createGraph whether the results carry a graph for further differentiation
   * @return one array per {@code wrt}, of its shape, attached to the first output's manager
   */
  List<NDArray> vjp(
      List<NDArray> outputs, List<NDArray> cotangents, List<NDArray> wrt, boolean createGraph);

  /**
   * Gradient of a scalar.
   *
   * @param scalar a scalar array
   * @param wrt the arrays to differentiate with respect to
   * @param createGraph whether the results carry a graph for further differentiation
   * @return one array per {@code wrt}, of its shape
   */
  List<NDArray> gradient(NDArray scalar, List<NDArray> wrt, boolean createGraph);

  /**
   * Gradient of a scalar with respect to named variables.
   *
   * @param scalar a scalar array
   * @param wrt the variables
   * @param createGraph whether the results carry a graph
   * @return the gradient, with the names of {@code wrt}
   */
  default Variables gradient(NDArray scalar, Variables wrt, boolean createGraph) {
    return wrt.withValues(gradient(scalar, wrt.values(), createGraph));
  }

  /**
   * The gradient of a scalar whose graph is differentiated this once: the values of {@link
   * #gradient(NDArray, List, boolean) gradient(scalar, wrt, false)}, but the runtime may free what
   * the graph saved for the backward pass as the pass consumes it ({@code torch.autograd.grad} with
   * {@code retain_graph=False}), instead of keeping all of it until {@code scalar} is closed. A
   * backward pass then holds only the saved arrays it has not reached yet, which lowers its peak
   * memory by up to the size of the forward pass's activations (arrays the caller still holds stay
   * alive, so close or scope a forward pass's intermediate arrays before calling this).
   *
   * <p>Afterwards the part of the graph between {@code wrt} and {@code scalar} cannot be
   * differentiated again: another call through it fails. Use it for the last derivative a method
   * takes of an objective, such as the upper objective's gradient at {@code y_T}. The default
   * implementation calls {@code gradient(scalar, wrt, false)}, which keeps the graph, so wrappers
   * that override {@code gradient} see these calls too.
   *
   * @param scalar a scalar array
   * @param wrt the arrays to differentiate with respect to
   * @return one array per {@code wrt}, of its shape, without a graph
   * @since 1.6.0
   */
  default List<NDArray> finalGradient(NDArray scalar, List<NDArray> wrt) {
    return gradient(scalar, wrt, false);
  }

  /**
   * {@link #finalGradient(NDArray, List)} with respect to named variables.
   *
   * @param scalar a scalar array
   * @param wrt the variables
   * @return the gradient, with the names of {@code wrt}
   * @since 1.6.0
   */
  default Variables finalGradient(NDArray scalar, Variables wrt) {
    return wrt.withValues(finalGradient(scalar, wrt.values()));
  }

  /**
   * Vector-Jacobian product of named outputs.
   *
   * @param outputs the outputs
   * @param cotangents one array per output, same names and order
   * @param wrt the variables to differentiate with respect to
   * @param createGraph whether the results carry a graph
   * @return the product, with the names of {@code wrt}
   */
  default Variables vjp(
      Variables outputs, Variables cotangents, Variables wrt, boolean createGraph) {
    outputs.requireSameNames(cotangents);
    return wrt.withValues(vjp(outputs.values(), cotangents.values(), wrt.values(), createGraph));
  }

  /**
   * Makes an array take part in the graph: returns it unchanged if it already requires a gradient,
   * otherwise a detached copy that is a leaf requiring one.
   *
   * @param array the array
   * @return an array that can appear in {@code wrt}
   */
  NDArray track(NDArray array);

  /**
   * A new leaf that requires a gradient, with the values of {@code array} and no history; in the
   * array's manager.
   *
   * @param array the values
   * @return the leaf
   */
  NDArray leaf(NDArray array);

  /**
   * A scalar constant that is safe inside an autograd graph (its memory belongs to the engine,
   * unlike the {@code Number} overloads of {@link NDArray} arithmetic).
   *
   * @param manager where it is created
   * @param value the value
   * @param dataType its type
   * @return a 0-dimensional array
   */
  NDArray constant(NDManager manager, double value, DataType dataType);
}
