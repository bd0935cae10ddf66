package org.boml.coverage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The build's coverage gate: reads the CSV of JaCoCo's aggregate report (every module, unit and
 * integration tests merged) and fails when line or branch coverage of the whole is below its
 * minimum. JaCoCo's own check goal cannot do this: it checks one module's classes only.
 *
 * <p>Run by the integration-tests module in {@code verify}, after the report, with the arguments
 * {@code CSV MIN_LINE_PERCENT MIN_BRANCH_PERCENT [PROPERTY=VALUE...]}; the report's HTML sits
 * beside the CSV. The properties are those that leave tests out ({@code skipTests}, {@code
 * it.test}, ...): when one is set the report covers only part of the project and the gate is
 * skipped, saying so.
 */
public final class CoverageGate {
  private static final int LEAST_COVERED_LISTED = 10;

  private CoverageGate() {}

  /**
   * One class of the report: its line and branch counters.
   *
   * @param name the class, qualified by its package
   * @param linesMissed lines with no instruction executed
   * @param linesCovered lines with at least one instruction executed
   * @param branchesMissed branches never taken
   * @param branchesCovered branches taken
   */
  record ClassCoverage(
      String name,
      long linesMissed,
      long linesCovered,
      long branchesMissed,
      long branchesCovered) {}

  /**
   * The totals of a report.
   *
   * @param classes every class, in the report's order
   */
  record Report(List<ClassCoverage> classes) {
    /** Covered lines over all lines, in percent; 100 for a report without lines. */
    double linePercent() {
      long covered = classes.stream().mapToLong(ClassCoverage::linesCovered).sum();
      long missed = classes.stream().mapToLong(ClassCoverage::linesMissed).sum();
      return percent(covered, missed);
    }

    /** Covered branches over all branches, in percent; 100 for a report without branches. */
    double branchPercent() {
      long covered = classes.stream().mapToLong(ClassCoverage::branchesCovered).sum();
      long missed = classes.stream().mapToLong(ClassCoverage::branchesMissed).sum();
      return percent(covered, missed);
    }

    /** The classes with the most missed lines, most first. */
    List<ClassCoverage> leastCovered(int count) {
      return classes.stream()
          .sorted(Comparator.comparingLong(ClassCoverage::linesMissed).reversed())
          .limit(count)
          .collect(Collectors.toList());
    }

    private static double percent(long covered, long missed) {
      long total = covered + missed;
      return total == 0 ? 100 : 100.0 * covered / total;
    }
  }

  /**
   * Parses JaCoCo's CSV report: a header naming the columns, then one row per class.
   *
   * @param lines the file's lines
   * @return the report
   * @throws IllegalArgumentException if the header lacks a needed column or a row is malformed
   */
  static Report parse(List<String> lines) {
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("the coverage CSV is empty");
    }
    List<String> header = List.of(lines.get(0).split(",", -1));
    if (column(header, "GROUP") != 0) {
      throw new IllegalArgumentException("the coverage CSV does not start with GROUP: " + header);
    }
    int pkg = column(header, "PACKAGE");
    int cls = column(header, "CLASS");
    int lineMissed = column(header, "LINE_MISSED");
    int lineCovered = column(header, "LINE_COVERED");
    int branchMissed = column(header, "BRANCH_MISSED");
    int branchCovered = column(header, "BRANCH_COVERED");
    List<ClassCoverage> classes = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      String[] cells = lines.get(i).split(",", -1);
      // JaCoCo does not quote: a comma in the group (a module's name) adds cells on the left.
      int shift = cells.length - header.size();
      if (shift < 0) {
        throw new IllegalArgumentException(
            "row " + (i + 1) + " has " + cells.length + " cells, the header " + header.size());
      }
      classes.add(
          new ClassCoverage(
              cells[pkg + shift] + "." + cells[cls + shift],
              count(cells[lineMissed + shift], i),
              count(cells[lineCovered + shift], i),
              count(cells[branchMissed + shift], i),
              count(cells[branchCovered + shift], i)));
    }
    return new Report(classes);
  }

  /**
   * Checks a report against the minimums.
   *
   * @param report the report
   * @param minLinePercent the least line coverage accepted, in percent
   * @param minBranchPercent the least branch coverage accepted, in percent
   * @param where where a person finds the report, for the messages
   * @return the one-line summary, when both minimums are met
   * @throws IllegalStateException naming each figure below its minimum and the least covered
   *     classes, or if the report covers no class (then it measured nothing)
   */
  static String check(Report report, double minLinePercent, double minBranchPercent, String where) {
    if (report.classes().stream().allMatch(c -> c.linesMissed() + c.linesCovered() == 0)) {
      throw new IllegalStateException(
          "The coverage report "
              + where
              + " covers no class: JaCoCo aggregates only the modules built in the same run. Build"
              + " the whole project (mvn install), or add -Djacoco.skip=true to build"
              + " integration-tests alone.");
    }
    double lines = report.linePercent();
    double branches = report.branchPercent();
    String summary =
        String.format(
            Locale.ROOT,
            "coverage of the whole project: lines %.1f%% (minimum %.1f%%), branches %.1f%% (minimum"
                + " %.1f%%); report: %s",
            lines,
            minLinePercent,
            branches,
            minBranchPercent,
            where);
    if (lines >= minLinePercent && branches >= minBranchPercent) {
      return summary;
    }
    StringBuilder message = new StringBuilder("Coverage is below the minimum: ").append(summary);
    message.append("\nThe classes with the most missed lines (missed/all lines):");
    for (ClassCoverage c : report.leastCovered(LEAST_COVERED_LISTED)) {
      message.append(
          String.format(
              Locale.ROOT,
              "%n  %-70s %5d/%d",
              c.name(),
              c.linesMissed(),
              c.linesMissed() + c.linesCovered()));
    }
    message.append("\nAdd tests that exercise them, or see the report for the uncovered lines.");
    throw new IllegalStateException(message.toString());
  }

  /**
   * Checks the aggregate report.
   *
   * @param args the CSV report, the minimum line and branch coverage in percent
   * @throws IOException if the report cannot be read
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 3) {
      throw new IllegalArgumentException(
          "usage: CoverageGate JACOCO_CSV MIN_LINE_PERCENT MIN_BRANCH_PERCENT [PROPERTY=VALUE...]");
    }
    Optional<String> partial = partialRun(Arrays.asList(args).subList(3, args.length));
    if (partial.isPresent()) {
      System.out.println(
          "coverage gate skipped: " + partial.get() + " is set, so not every test ran");
      return;
    }
    Path csv = Path.of(args[0]);
    if (!Files.isRegularFile(csv)) {
      throw new IllegalStateException(
          "no coverage report at " + csv + ": JaCoCo's report-aggregate did not run");
    }
    Report report = parse(Files.readAllLines(csv));
    Path html = csv.resolveSibling("index.html").toAbsolutePath().normalize();
    System.out.println(
        check(report, Double.parseDouble(args[1]), Double.parseDouble(args[2]), html.toString()));
  }

  /**
   * The first of the given properties that leaves tests out, if any.
   *
   * @param properties {@code NAME=VALUE} pairs, as the build resolved them: a property that is not
   *     set keeps its {@code ${NAME}} expression, an empty value, or {@code false}
   * @return {@code NAME=VALUE} of the first property set
   */
  static Optional<String> partialRun(List<String> properties) {
    for (String property : properties) {
      int equals = property.indexOf('=');
      String value = equals < 0 ? "" : property.substring(equals + 1).trim();
      if (!value.isEmpty() && !value.startsWith("${") && !value.equals("false")) {
        return Optional.of(property);
      }
    }
    return Optional.empty();
  }

  private static int column(List<String> header, String name) {
    int index = header.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("the coverage CSV has no column " + name + ": " + header);
    }
    return index;
  }

  private static long count(String cell, int row) {
    try {
      return Long.parseLong(cell.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("row " + (row + 1) + ": '" + cell + "' is not a count", e);
    }
  }
}
