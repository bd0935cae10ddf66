package org.boml.it;

/**
 * The eigendecomposition of a small symmetric matrix by cyclic Jacobi rotations, for the dense
 * reference of the implicit hypergradient: {@link #pseudoSolve(double[], double)} gives the
 * minimum-norm least-squares solution {@code H^+ b}, which is what conjugate gradient started at
 * zero converges to on a positive semi-definite {@code H} when {@code b} lies in its range (the
 * cross-entropy heads' Hessians are singular: shifting every logit of a point changes nothing).
 */
final class SymmetricEigen {
  private final double[] values;
  private final double[][] vectors;

  private SymmetricEigen(double[] values, double[][] vectors) {
    this.values = values;
    this.vectors = vectors;
  }

  /**
   * Decomposes a symmetric matrix; the asymmetric part of a numerically symmetric one (a Hessian
   * assembled from Hessian-vector products) is dropped.
   *
   * @param matrix a square matrix, rows; not modified
   * @return the decomposition
   */
  static SymmetricEigen of(double[][] matrix) {
    int n = matrix.length;
    double[][] a = new double[n][n];
    double[][] v = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        a[i][j] = (matrix[i][j] + matrix[j][i]) / 2;
      }
      v[i][i] = 1;
    }
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      double total = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          total += a[i][j] * a[i][j];
          if (i != j) {
            off += a[i][j] * a[i][j];
          }
        }
      }
      if (off <= 1e-30 * total) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (a[p][q] != 0) {
            rotate(a, v, p, q);
          }
        }
      }
    }
    double[] values = new double[n];
    for (int i = 0; i < n; i++) {
      values[i] = a[i][i];
    }
    return new SymmetricEigen(values, v);
  }

  /** One Jacobi rotation that zeroes {@code a[p][q]}; accumulates it into the columns of v. */
  private static void rotate(double[][] a, double[][] v, int p, int q) {
    int n = a.length;
    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
    double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
    if (theta == 0) {
      t = 1;
    }
    double c = 1 / Math.sqrt(t * t + 1);
    double s = t * c;
    for (int k = 0; k < n; k++) {
      double akp = a[k][p];
      double akq = a[k][q];
      a[k][p] = c * akp - s * akq;
      a[k][q] = s * akp + c * akq;
    }
    for (int k = 0; k < n; k++) {
      double apk = a[p][k];
      double aqk = a[q][k];
      a[p][k] = c * apk - s * aqk;
      a[q][k] = s * apk + c * aqk;
    }
    for (int k = 0; k < n; k++) {
      double vkp = v[k][p];
      double vkq = v[k][q];
      v[k][p] = c * vkp - s * vkq;
      v[k][q] = s * vkp + c * vkq;
    }
  }

  /**
   * {@code H^+ b}: the components of {@code b} along eigenvectors whose eigenvalue exceeds {@code
   * cutoff} times the largest magnitude, divided by it; the others dropped.
   *
   * @param b the right-hand side
   * @param cutoff the relative threshold below which an eigenvalue counts as zero
   * @return the minimum-norm least-squares solution
   */
  double[] pseudoSolve(double[] b, double cutoff) {
    int n = b.length;
    double largest = 0;
    for (double value : values) {
      largest = Math.max(largest, Math.abs(value));
    }
    double[] x = new double[n];
    for (int k = 0; k < n; k++) {
      if (Math.abs(values[k]) <= cutoff * largest) {
        continue;
      }
      double along = 0;
      for (int i = 0; i < n; i++) {
        along += vectors[i][k] * b[i];
      }
      along /= values[k];
      for (int i = 0; i < n; i++) {
        x[i] += along * vectors[i][k];
      }
    }
    return x;
  }

  /**
   * The largest {@code |H_ij - H_ji|} relative to the largest {@code |H_ij|}.
   *
   * @param matrix a square matrix
   * @return 0 for a symmetric one
   */
  static double asymmetry(double[][] matrix) {
    double largest = 0;
    double worst = 0;
    for (int i = 0; i < matrix.length; i++) {
      for (int j = 0; j < matrix.length; j++) {
        largest = Math.max(largest, Math.abs(matrix[i][j]));
        worst = Math.max(worst, Math.abs(matrix[i][j] - matrix[j][i]));
      }
    }
    return largest == 0 ? 0 : worst / largest;
  }

  /** The smallest and largest eigenvalues, for messages. */
  @Override
  public String toString() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double value : values) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
    return String.format(java.util.Locale.ROOT, "%.3g .. %.3g", min, max);
  }
}
