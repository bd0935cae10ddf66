package org.boml.runtime.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One measured configuration: a hypergradient plugin with its options and a number of inner steps,
 * on the reference workload. Names: {@code so-T5} / {@code fo-T5} for second- / first-order MAML
 * (the peer's timing matrix), {@code rhg-graph-T50}, {@code rhg-replay-T50} and {@code trhg-T50}
 * for the horizon sweep.
 *
 * @param name the configuration's name
 * @param hypergradient the hypergradient plugin
 * @param options its options
 * @param steps the inner steps {@code T}
 * @param maml {@code true} for the MAML matrix, whose FLOPs are counted; {@code false} for the
 *     horizon sweep
 */
public record BenchConfiguration(
    String name, String hypergradient, Map<String, String> options, int steps, boolean maml) {
  /** The inner steps of the MAML matrix. */
  public static final List<Integer> MAML_STEPS = List.of(1, 5, 10);

  /** The horizons of the sweep. */
  public static final List<Integer> HORIZONS = List.of(10, 25, 50, 100);

  /**
   * Whether this is second-order MAML (for the FLOP count).
   *
   * @return true for {@code so-*}
   */
  public boolean secondOrder() {
    return !hypergradient.equals("fmaml");
  }

  /**
   * The MAML matrix: second order then first order, at T = 1, 5, 10.
   *
   * @return the configurations
   */
  public static List<BenchConfiguration> mamlMatrix() {
    List<BenchConfiguration> list = new ArrayList<>();
    for (int steps : MAML_STEPS) {
      // trajectory replay: the same hypergradient as the stored graph (PluginMatrixIT checks it
      // to 1e-9), with a peak memory at the peer's for about a quarter more CPU
      // (docs/performance.md, "Memory with two task workers")
      list.add(
          new BenchConfiguration("so-T" + steps, "rhg", Map.of("strategy", "replay"), steps, true));
    }
    for (int steps : MAML_STEPS) {
      list.add(new BenchConfiguration("fo-T" + steps, "fmaml", Map.of(), steps, true));
    }
    return list;
  }

  /**
   * The horizon sweep: {@code rhg} with the stored graph and with trajectory replay, and {@code
   * trhg}, at each horizon.
   *
   * @param truncation trhg's {@code K}
   * @return the configurations
   */
  public static List<BenchConfiguration> horizonSweep(int truncation) {
    List<BenchConfiguration> list = new ArrayList<>();
    for (int steps : HORIZONS) {
      for (String strategy : List.of("graph", "replay")) {
        list.add(
            new BenchConfiguration(
                "rhg-" + strategy + "-T" + steps,
                "rhg",
                Map.of("strategy", strategy),
                steps,
                false));
      }
      list.add(
          new BenchConfiguration(
              "trhg-T" + steps,
              "trhg",
              Map.of("truncation", Integer.toString(truncation)),
              steps,
              false));
    }
    return list;
  }

  /**
   * Resolves a selection: {@code maml}, {@code horizon}, {@code all} or configuration names
   * (case-insensitive), in the order given, without repeats.
   *
   * @param selection the names
   * @param truncation trhg's {@code K}
   * @return the configurations
   * @throws IllegalArgumentException for an unknown name, listing the valid ones
   */
  public static List<BenchConfiguration> select(List<String> selection, int truncation) {
    Map<String, BenchConfiguration> known = new LinkedHashMap<>();
    mamlMatrix().forEach(c -> known.put(c.name().toLowerCase(Locale.ROOT), c));
    horizonSweep(truncation).forEach(c -> known.put(c.name().toLowerCase(Locale.ROOT), c));
    Map<String, BenchConfiguration> chosen = new LinkedHashMap<>();
    for (String raw : selection) {
      String key = raw.trim().toLowerCase(Locale.ROOT);
      List<BenchConfiguration> group =
          switch (key) {
            case "maml" -> mamlMatrix();
            case "horizon" -> horizonSweep(truncation);
            case "all" -> List.copyOf(known.values());
            default -> {
              BenchConfiguration one = known.get(key);
              if (one == null) {
                throw new IllegalArgumentException(
                    "unknown benchmark configuration '"
                        + raw.trim()
                        + "'; use maml, horizon, all or one of "
                        + known.values().stream().map(BenchConfiguration::name).toList());
              }
              yield List.of(one);
            }
          };
      group.forEach(c -> chosen.putIfAbsent(c.name(), c));
    }
    if (chosen.isEmpty()) {
      throw new IllegalArgumentException("no benchmark configuration selected");
    }
    return List.copyOf(chosen.values());
  }
}
