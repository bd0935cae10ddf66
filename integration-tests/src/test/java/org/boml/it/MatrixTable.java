package org.boml.it;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The outcome of every cell of the plugin matrix, printed as one table when the matrix ends. */
final class MatrixTable {
  private final List<Row> rows = new ArrayList<>();

  /** A cell's outcome: checked (with what it was compared with) or refused (with the refusal). */
  private record Row(Combination cell, boolean ran, String detail, double seconds) {}

  /** Records a combination whose hypergradient passed its value check. */
  synchronized void ran(Combination cell, String measured, double seconds) {
    rows.add(new Row(cell, true, measured, seconds));
  }

  /** Records a combination that was refused. */
  synchronized void refused(Combination cell, String message, double seconds) {
    rows.add(new Row(cell, false, message, seconds));
  }

  /** The table, one line per cell, then the number of runs per method and problem. */
  synchronized String render() {
    StringBuilder out = new StringBuilder();
    String format = "%-38s %-40s %-34s %-8s %7s  %s%n";
    out.append(
        String.format(
            Locale.ROOT, format, "problem", "method", "dynamics", "outcome", "seconds", ""));
    List<Row> sorted = new ArrayList<>(rows);
    sorted.sort(
        Comparator.comparing((Row r) -> r.cell().problem())
            .thenComparing(r -> r.cell().methodLabel())
            .thenComparing(r -> r.cell().dynamicsLabel()));
    Map<String, int[]> counts = new TreeMap<>();
    double total = 0;
    for (Row row : sorted) {
      Combination cell = row.cell();
      out.append(
          String.format(
              Locale.ROOT,
              format,
              cell.problem(),
              cell.methodLabel(),
              cell.dynamicsLabel(),
              row.ran() ? "checked" : "refused",
              String.format(Locale.ROOT, "%.2f", row.seconds()),
              abbreviate(row.detail())));
      int[] count =
          counts.computeIfAbsent(cell.problem() + " | " + cell.method().name(), k -> new int[2]);
      count[row.ran() ? 0 : 1]++;
      total += row.seconds();
    }
    out.append(String.format(Locale.ROOT, "%nruns and refusals per problem and method:%n"));
    counts.forEach(
        (key, count) ->
            out.append(
                String.format(
                    Locale.ROOT, "  %-60s %3d checked, %3d refused%n", key, count[0], count[1])));
    out.append(
        String.format(
            Locale.ROOT, "%d cells, %.1f s in the cells themselves%n", sorted.size(), total));
    return out.toString();
  }

  private static String abbreviate(String text) {
    return text.length() <= 160 ? text : text.substring(0, 157) + "...";
  }
}
