package org.boml.runtime.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.boml.api.Differentiator;
import org.boml.api.Hypergradient;
import org.boml.api.Variables;

/**
 * The mean objective and hypergradient of a meta-batch, and the mean's norm. The hypergradients are
 * summed in task order on the meta-parameters' device, so the result does not depend on the number
 * of workers or devices that computed them.
 *
 * @param upper the mean upper-level objective
 * @param gradient the mean hypergradient
 * @param norm its Euclidean norm
 */
record MetaBatchMean(double upper, Variables gradient, double norm) {
  /** Whether the objective and the norm are finite. */
  boolean isFinite() {
    return Double.isFinite(upper) && Double.isFinite(norm);
  }

  /** The mean of tasks' results, with the scale as a graph-safe constant of {@code manager}. */
  static MetaBatchMean of(
      List<Hypergradient> results,
      Device home,
      NDManager manager,
      Differentiator differentiator,
      DataType dataType) {
    return of(
        sumInOrder(results, home),
        upperSum(results),
        results.size(),
        manager,
        differentiator,
        dataType);
  }

  /** The mean of a sum over {@code tasks} tasks. */
  static MetaBatchMean of(
      Variables sum,
      double upperSum,
      int tasks,
      NDManager manager,
      Differentiator differentiator,
      DataType dataType) {
    NDArray scale = differentiator.constant(manager, 1.0 / tasks, dataType);
    Variables mean = sum.map(g -> g.mul(scale));
    return new MetaBatchMean(upperSum / tasks, mean, norm(mean));
  }

  /** The hypergradients summed in task order, on the meta-parameters' device. */
  static Variables sumInOrder(List<Hypergradient> results, Device home) {
    Variables sum = results.get(0).gradient().map(g -> g.toDevice(home, false));
    for (int i = 1; i < results.size(); i++) {
      sum = sum.zip(results.get(i).gradient(), (a, b) -> a.add(b.toDevice(home, false)));
    }
    return sum;
  }

  /** The sum of the tasks' upper-level objectives, in task order. */
  static double upperSum(List<Hypergradient> results) {
    double upper = 0;
    for (Hypergradient result : results) {
      upper += result.upperObjective();
    }
    return upper;
  }

  /** The Euclidean norm of a gradient, summed in float64 in the order of its names. */
  static double norm(Variables gradient) {
    double squares = 0;
    for (NDArray g : gradient.values()) {
      squares += g.square().sum().toType(DataType.FLOAT64, false).getDouble();
    }
    return Math.sqrt(squares);
  }

  /** The mean query accuracy of the tasks that entered the hypergradient. */
  static double accuracy(
      List<Hypergradient> results, List<Hypergradient> kept, double[] accuracies) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < results.size(); i++) {
      if (kept.contains(results.get(i))) {
        sum += accuracies[i];
        count++;
      }
    }
    return count == 0 ? Double.NaN : sum / count;
  }
}
