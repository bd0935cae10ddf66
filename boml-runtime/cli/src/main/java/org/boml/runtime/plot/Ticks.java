package org.boml.runtime.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Axis ticks at "nice" values (1, 2 or 5 times a power of ten) covering a range, and their labels.
 */
final class Ticks {
  private Ticks() {}

  /**
   * About {@code target} tick values spaced by a nice step, from the first multiple of the step at
   * or below {@code low} to the first at or above {@code high}.
   *
   * @param low the smallest value to cover
   * @param high the largest value to cover, {@code >= low}
   * @param target the wanted number of intervals, at least 1
   * @return the ticks, ascending, at least two
   */
  static double[] covering(double low, double high, int target) {
    if (!(high > low)) {
      double pad = low == 0 ? 1 : Math.abs(low) * 0.1;
      low -= pad;
      high += pad;
    }
    double step = step((high - low) / target);
    long first = (long) Math.floor(low / step + 1e-9);
    long last = (long) Math.ceil(high / step - 1e-9);
    double[] ticks = new double[(int) (last - first + 1)];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = (first + i) * step;
    }
    return ticks;
  }

  /** The smallest of 1, 2, 5 times a power of ten that is at least {@code raw}. */
  static double step(double raw) {
    double power = Math.pow(10, Math.floor(Math.log10(raw)));
    for (double factor : new double[] {1, 2, 5, 10}) {
      if (factor * power >= raw * (1 - 1e-9)) {
        return factor * power;
      }
    }
    return 10 * power;
  }

  /**
   * Labels for ticks with just enough decimals to tell neighbours apart, without trailing noise.
   *
   * @param ticks equally spaced values
   * @return one label per tick
   */
  static List<String> labels(double[] ticks) {
    double step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
    int decimals = Math.max(0, (int) Math.ceil(-Math.log10(step) - 1e-9));
    boolean scientific = Math.abs(ticks[ticks.length - 1]) >= 1e6 || decimals > 6;
    List<String> labels = new ArrayList<>(ticks.length);
    for (double tick : ticks) {
      double value = Math.abs(tick) < step * 1e-9 ? 0 : tick;
      labels.add(
          scientific
              ? String.format(Locale.ROOT, "%.2g", value)
              : String.format(Locale.ROOT, "%." + decimals + "f", value));
    }
    return labels;
  }
}
