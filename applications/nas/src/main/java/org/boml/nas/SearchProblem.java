package org.boml.nas;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.boml.api.BilevelProblem;
import org.boml.api.Model;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.runtime.problem.Losses;

/**
 * One step of DARTS as a bilevel problem: {@code x} is the architecture {@code alpha}, {@code y}
 * the network weights {@code w},
 *
 * <pre>
 *   f(alpha, w) = CE(net(alpha, w), training batch),   F(alpha, w) = CE(net(alpha, w), validation batch),
 *   Psi_0(alpha) = w_current (the weights carried over from the previous step, constant in alpha).
 * </pre>
 *
 * With one gradient step of size {@code xi} the hypergradient is DARTS's {@code d/d alpha F(alpha,
 * w - xi grad_w f(alpha, w))}. The batches are fixed, so every step index sees the same objective.
 */
final class SearchProblem implements BilevelProblem {
  private final Model model;
  private final Variables weights;
  private final NDArray trainImages;
  private final NDArray trainLabels;
  private final NDArray validationImages;
  private final NDArray validationLabels;
  private final NDManager manager;
  private final long seed;

  /**
   * The problem of one step.
   *
   * @param model the search-space network
   * @param weights the current network weights {@code w}, without a graph
   * @param trainImages a training batch
   * @param trainLabels its labels
   * @param validationImages a validation batch
   * @param validationLabels its labels
   * @param manager the step's manager
   * @param seed the step's seed
   */
  SearchProblem(
      Model model,
      Variables weights,
      NDArray trainImages,
      NDArray trainLabels,
      NDArray validationImages,
      NDArray validationLabels,
      NDManager manager,
      long seed) {
    this.model = model;
    this.weights = weights;
    this.trainImages = trainImages;
    this.trainLabels = trainLabels;
    this.validationImages = validationImages;
    this.validationLabels = validationLabels;
    this.manager = manager;
    this.seed = seed;
  }

  @Override
  public NDArray lowerObjective(int step, Variables x, Variables y) {
    return loss(x, y, trainImages, trainLabels);
  }

  @Override
  public NDArray upperObjective(Variables x, Variables y) {
    return loss(x, y, validationImages, validationLabels);
  }

  @Override
  public Variables initialBase(Variables x) {
    return weights;
  }

  @Override
  public NDManager manager() {
    return manager;
  }

  @Override
  public long seed() {
    return seed;
  }

  /** The cross-entropy of the network at {@code alpha = x} and the weights of {@code y}. */
  private NDArray loss(Variables x, Variables y, NDArray images, NDArray labels) {
    Variables params = x.merge(y.select(weights::contains));
    return Losses.loss(TaskKind.CLASSIFICATION, model.forward(params, images, true), labels);
  }
}
