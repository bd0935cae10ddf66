package org.boml.plugins.fhg;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.boml.api.Differentiator;
import org.boml.api.Variables;
import org.boml.runtime.plugin.PluginRegistry;
import org.boml.runtime.problem.Bilevel;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;

/**
 * The README's hyperparameter search, run: ridge regression written with {@link Bilevel}, whose
 * weight decay and inner step size (gd with {@code lr-variable}) are learned with fhg by {@link
 * HyperparameterOptimizer}. The validation loss must fall well below where it starts and end within
 * 5% of the best closed-form ridge solution over a fine grid of decays.
 */
class HyperparameterSearchTest {
  private static final Differentiator D = TestKit.differentiator();
  private static final int FEATURES = 6;
  private static final int SAMPLES = 12;

  @Test
  void learnsTheWeightDecayAndTheStepSizeOfRidgeRegression() {
    Random random = new Random(7);
    double[] truth = new double[FEATURES];
    for (int j = 0; j < FEATURES; j++) {
      truth[j] = random.nextGaussian();
    }
    double[][] trainX = matrix(random);
    double[][] validX = matrix(random);
    double[] trainY = targets(random, trainX, truth, 1.0);
    double[] validY = targets(random, validX, truth, 1.0);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDArray xs = owned(manager, flatten(trainX), new Shape(SAMPLES, FEATURES));
      NDArray ys = owned(manager, trainY, new Shape(SAMPLES));
      NDArray xv = owned(manager, flatten(validX), new Shape(SAMPLES, FEATURES));
      NDArray yv = owned(manager, validY, new Shape(SAMPLES));
      NDArray mean = D.constant(manager, 1.0 / SAMPLES, DataType.FLOAT64);
      Bilevel ridge =
          Bilevel.of(
              (x, y) ->
                  xs.matMul(y.get("w"))
                      .sub(ys)
                      .square()
                      .sum()
                      .mul(mean)
                      .add(
                          y.get("w")
                              .square()
                              .sum()
                              .mul(x.get("log_decay").exp().reshape(new Shape()))),
              (x, y) -> xv.matMul(y.get("w")).sub(yv).square().sum().mul(mean),
              x -> Variables.of(Map.of("w", manager.zeros(new Shape(FEATURES), DataType.FLOAT64))));
      Variables start =
          Variables.of(
              Map.of(
                  "log_decay",
                      D.constant(manager, Math.log(3.0), DataType.FLOAT64).reshape(new Shape(1)),
                  "log_lr",
                      D.constant(manager, Math.log(0.02), DataType.FLOAT64).reshape(new Shape(1))));
      PluginRegistry plugins = TestKit.plugins();
      List<IterationReport> reports = new ArrayList<>();
      double[] learned;
      try (HyperparameterOptimizer search =
          HyperparameterOptimizer.builder()
              .problem(ridge)
              .hyperparameters(start)
              .dynamics(plugins.iteration("gd"), Map.of("lr-variable", "log_lr"))
              .hypergradient(plugins.hypergradient("fhg"), Map.of())
              .innerSteps(40)
              .optimizer(OuterOptimizer.adam(), 0.1)
              .build()) {
        search.run(60, reports::add);
        learned =
            new double[] {
              Math.exp(search.hyperparameters().get("log_decay").getDouble(0)),
              Math.exp(search.hyperparameters().get("log_lr").getDouble(0))
            };
      }
      double first = reports.get(0).upperObjective();
      double last = reports.get(reports.size() - 1).upperObjective();
      double best = bestRidge(trainX, trainY, validX, validY);
      System.out.printf(
          "fhg search: validation loss %.4f -> %.4f (best closed-form ridge %.4f);"
              + " decay %.4f, lr %.4f; %d iterations in %.1f s%n",
          first,
          last,
          best,
          learned[0],
          learned[1],
          reports.size(),
          reports.get(reports.size() - 1).seconds());
      assertTrue(last < 0.5 * first, first + " -> " + last);
      assertTrue(last < 1.05 * best, "ended at " + last + ", best ridge " + best);
    }
  }

  /**
   * The lowest validation loss of closed-form ridge, (X^T X / n + lambda I) w = X^T y / n, on a
   * grid.
   */
  private static double bestRidge(
      double[][] trainX, double[] trainY, double[][] validX, double[] validY) {
    double best = Double.POSITIVE_INFINITY;
    for (double logLambda = -12; logLambda <= 4; logLambda += 0.01) {
      double lambda = Math.exp(logLambda);
      double[][] system = new double[FEATURES][FEATURES + 1];
      for (int i = 0; i < FEATURES; i++) {
        for (int j = 0; j < FEATURES; j++) {
          double sum = 0;
          for (int s = 0; s < SAMPLES; s++) {
            sum += trainX[s][i] * trainX[s][j];
          }
          system[i][j] = sum / SAMPLES + (i == j ? lambda : 0);
        }
        double rhs = 0;
        for (int s = 0; s < SAMPLES; s++) {
          rhs += trainX[s][i] * trainY[s];
        }
        system[i][FEATURES] = rhs / SAMPLES;
      }
      double[] w = solve(system);
      double loss = 0;
      for (int s = 0; s < SAMPLES; s++) {
        double prediction = 0;
        for (int j = 0; j < FEATURES; j++) {
          prediction += validX[s][j] * w[j];
        }
        loss += (prediction - validY[s]) * (prediction - validY[s]);
      }
      best = Math.min(best, loss / SAMPLES);
    }
    return best;
  }

  /** Gaussian elimination with partial pivoting on an augmented matrix. */
  private static double[] solve(double[][] a) {
    int n = a.length;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int row = col + 1; row < n; row++) {
        if (Math.abs(a[row][col]) > Math.abs(a[pivot][col])) {
          pivot = row;
        }
      }
      double[] swap = a[col];
      a[col] = a[pivot];
      a[pivot] = swap;
      for (int row = col + 1; row < n; row++) {
        double factor = a[row][col] / a[col][col];
        for (int k = col; k <= n; k++) {
          a[row][k] -= factor * a[col][k];
        }
      }
    }
    double[] x = new double[n];
    for (int row = n - 1; row >= 0; row--) {
      double sum = a[row][n];
      for (int k = row + 1; k < n; k++) {
        sum -= a[row][k] * x[k];
      }
      x[row] = sum / a[row][row];
    }
    return x;
  }

  private static double[][] matrix(Random random) {
    double[][] m = new double[SAMPLES][FEATURES];
    for (double[] row : m) {
      for (int j = 0; j < FEATURES; j++) {
        row[j] = random.nextGaussian();
      }
    }
    return m;
  }

  private static double[] targets(Random random, double[][] inputs, double[] truth, double noise) {
    double[] y = new double[inputs.length];
    for (int s = 0; s < inputs.length; s++) {
      for (int j = 0; j < FEATURES; j++) {
        y[s] += inputs[s][j] * truth[j];
      }
      y[s] += noise * random.nextGaussian();
    }
    return y;
  }

  private static double[] flatten(double[][] m) {
    double[] flat = new double[m.length * m[0].length];
    for (int i = 0; i < m.length; i++) {
      System.arraycopy(m[i], 0, flat, i * m[0].length, m[0].length);
    }
    return flat;
  }

  private static NDArray owned(NDManager manager, double[] values, Shape shape) {
    try (NDArray javaBacked = manager.create(values, shape)) {
      return javaBacked.duplicate();
    }
  }
}
