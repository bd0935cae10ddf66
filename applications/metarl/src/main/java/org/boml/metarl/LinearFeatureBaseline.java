package org.boml.metarl;

/**
 * The linear feature baseline of the MAML paper's policy gradients (rllab's {@code
 * LinearFeatureBaseline}, Duan et al. 2016): the return-to-go regressed by ridge regression on the
 * features {@code [s, s^2, a, a^2, a^3, 1]} of each step, with the observation {@code s} clipped to
 * {@code [-10, 10]} and {@code a = t / 100} the time in the episode. The regularization starts at
 * {@code 1e-5} and grows tenfold while the solution is not finite.
 */
public final class LinearFeatureBaseline {
  private static final double TIME_SCALE = 100;
  private static final double CLIP = 10;
  private static final double FIRST_REGULARIZATION = 1e-5;
  private static final int ATTEMPTS = 5;

  private final double[] coefficients;

  private LinearFeatureBaseline(double[] coefficients) {
    this.coefficients = coefficients;
  }

  /**
   * Fits the baseline to episodes.
   *
   * @param rollouts the episodes
   * @param returns their returns-to-go, one per row
   * @return the fitted baseline
   */
  public static LinearFeatureBaseline fit(Rollouts rollouts, double[] returns) {
    int k = featureCount(rollouts.observationSize());
    double[] gram = new double[k * k];
    double[] moment = new double[k];
    double[] f = new double[k];
    for (int row = 0; row < rollouts.rows(); row++) {
      features(rollouts, row, f);
      for (int i = 0; i < k; i++) {
        moment[i] += f[i] * returns[row];
        for (int j = 0; j < k; j++) {
          gram[i * k + j] += f[i] * f[j];
        }
      }
    }
    double regularization = FIRST_REGULARIZATION;
    double[] solution = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++, regularization *= 10) {
      solution = solve(gram, moment, regularization);
      if (solution != null) {
        break;
      }
    }
    if (solution == null) {
      solution = new double[k]; // rllab keeps a baseline of zero in that case too
    }
    return new LinearFeatureBaseline(solution);
  }

  /**
   * The baseline's prediction for every row.
   *
   * @param rollouts the episodes
   * @return one value per row
   */
  public double[] predict(Rollouts rollouts) {
    double[] f = new double[coefficients.length];
    double[] values = new double[rollouts.rows()];
    for (int row = 0; row < values.length; row++) {
      features(rollouts, row, f);
      double sum = 0;
      for (int i = 0; i < f.length; i++) {
        sum += f[i] * coefficients[i];
      }
      values[row] = sum;
    }
    return values;
  }

  /**
   * The advantages of the REINFORCE surrogate: returns-to-go minus the baseline fitted to them,
   * then centered and scaled to unit standard deviation over the batch (rllab's {@code
   * center_adv}).
   *
   * @param rollouts the episodes
   * @param discount {@code gamma}
   * @return one advantage per row
   */
  public static double[] advantages(Rollouts rollouts, double discount) {
    double[] returns = rollouts.returnsToGo(discount);
    double[] baseline = fit(rollouts, returns).predict(rollouts);
    double[] advantages = new double[returns.length];
    double mean = 0;
    for (int row = 0; row < returns.length; row++) {
      advantages[row] = returns[row] - baseline[row];
      mean += advantages[row];
    }
    mean /= returns.length;
    double squares = 0;
    for (double value : advantages) {
      squares += (value - mean) * (value - mean);
    }
    double std = Math.sqrt(squares / returns.length);
    for (int row = 0; row < returns.length; row++) {
      advantages[row] = (advantages[row] - mean) / (std + 1e-8);
    }
    return advantages;
  }

  private static int featureCount(int observationSize) {
    return 2 * observationSize + 4;
  }

  private static void features(Rollouts rollouts, int row, double[] into) {
    int size = rollouts.observationSize();
    for (int i = 0; i < size; i++) {
      double s = Math.max(-CLIP, Math.min(CLIP, rollouts.observations()[row * size + i]));
      into[i] = s;
      into[size + i] = s * s;
    }
    double a = (row % rollouts.horizon()) / TIME_SCALE;
    into[2 * size] = a;
    into[2 * size + 1] = a * a;
    into[2 * size + 2] = a * a * a;
    into[2 * size + 3] = 1;
  }

  /**
   * Solves {@code (G + reg I) w = m} by Cholesky; null if the factorization fails or the solution
   * is not finite.
   */
  private static double[] solve(double[] gram, double[] moment, double regularization) {
    int k = moment.length;
    double[] l = new double[k * k];
    for (int i = 0; i < k; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = gram[i * k + j] + (i == j ? regularization : 0);
        for (int p = 0; p < j; p++) {
          sum -= l[i * k + p] * l[j * k + p];
        }
        if (i == j) {
          if (!(sum > 0)) {
            return null;
          }
          l[i * k + i] = Math.sqrt(sum);
        } else {
          l[i * k + j] = sum / l[j * k + j];
        }
      }
    }
    double[] z = new double[k];
    for (int i = 0; i < k; i++) {
      double sum = moment[i];
      for (int p = 0; p < i; p++) {
        sum -= l[i * k + p] * z[p];
      }
      z[i] = sum / l[i * k + i];
    }
    double[] w = new double[k];
    for (int i = k - 1; i >= 0; i--) {
      double sum = z[i];
      for (int p = i + 1; p < k; p++) {
        sum -= l[p * k + i] * w[p];
      }
      w[i] = sum / l[i * k + i];
      if (!Double.isFinite(w[i])) {
        return null;
      }
    }
    return w;
  }
}
