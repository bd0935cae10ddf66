package org.boml.coverage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CoverageGateTest {
  private static final String HEADER =
      "GROUP,PACKAGE,CLASS,INSTRUCTION_MISSED,INSTRUCTION_COVERED,BRANCH_MISSED,BRANCH_COVERED,"
          + "LINE_MISSED,LINE_COVERED,COMPLEXITY_MISSED,COMPLEXITY_COVERED,METHOD_MISSED,"
          + "METHOD_COVERED";

  /** Lines: 60 + 30 covered of 100, branches: 14 + 2 covered of 20. */
  private static final List<String> CSV =
      List.of(
          HEADER,
          "BOML runtime,org.boml.runtime,Big,0,0,4,14,10,60,0,0,0,0",
          "BOML plugin: a, b,org.boml.plugins.a,Small,0,0,0,2,0,30,0,0,0,0",
          "",
          "BOML API,org.boml.api,Api,0,0,0,0,0,0,0,0,0,0");

  @Test
  void sumsLinesAndBranchesOverEveryClass() {
    CoverageGate.Report report = CoverageGate.parse(CSV);
    assertEquals(3, report.classes().size());
    assertEquals(90.0, report.linePercent(), 1e-12);
    assertEquals(80.0, report.branchPercent(), 1e-12);
  }

  @Test
  void aCommaInTheGroupShiftsTheCellsNotTheCounts() {
    CoverageGate.ClassCoverage small = CoverageGate.parse(CSV).classes().get(1);
    assertEquals(new CoverageGate.ClassCoverage("org.boml.plugins.a.Small", 0, 30, 0, 2), small);
  }

  @Test
  void passesAtTheMinimumsAndSaysWhereTheReportIs() {
    String summary = CoverageGate.check(CoverageGate.parse(CSV), 90, 80, "/r/index.html");
    assertTrue(summary.contains("lines 90.0% (minimum 90.0%)"), summary);
    assertTrue(summary.contains("branches 80.0% (minimum 80.0%)"), summary);
    assertTrue(summary.endsWith("report: /r/index.html"), summary);
  }

  @Test
  void failsBelowEitherMinimumListingTheLeastCoveredClassFirst() {
    CoverageGate.Report report = CoverageGate.parse(CSV);
    IllegalStateException lines =
        assertThrows(IllegalStateException.class, () -> CoverageGate.check(report, 90.1, 80, "r"));
    assertTrue(lines.getMessage().startsWith("Coverage is below the minimum"), lines.getMessage());
    assertTrue(lines.getMessage().contains("lines 90.0% (minimum 90.1%)"), lines.getMessage());
    String firstListed = lines.getMessage().lines().skip(2).findFirst().orElseThrow();
    assertTrue(
        firstListed.contains("org.boml.runtime.Big") && firstListed.endsWith("10/70"), firstListed);
    IllegalStateException branches =
        assertThrows(IllegalStateException.class, () -> CoverageGate.check(report, 90, 80.5, "r"));
    assertTrue(
        branches.getMessage().contains("branches 80.0% (minimum 80.5%)"), branches.getMessage());
  }

  @Test
  void aReportThatCoversNoClassFailsTheGate() {
    IllegalStateException empty =
        assertThrows(
            IllegalStateException.class,
            () -> CoverageGate.check(CoverageGate.parse(List.of(HEADER)), 0, 0, "r/index.html"));
    assertTrue(empty.getMessage().contains("r/index.html covers no class"), empty.getMessage());
    List<String> onlyInterfaces = List.of(HEADER, "g,p,Api,0,0,0,0,0,0,0,0,0,0");
    assertThrows(
        IllegalStateException.class,
        () -> CoverageGate.check(CoverageGate.parse(onlyInterfaces), 0, 0, "r"));
  }

  @Test
  void aReportWithoutBranchesIsFullyCoveredInBranches() {
    CoverageGate.Report straight =
        CoverageGate.parse(List.of(HEADER, "g,p,Straight,0,0,0,0,1,3,0,0,0,0"));
    assertEquals(75.0, straight.linePercent(), 1e-12);
    assertEquals(100.0, straight.branchPercent());
  }

  @Test
  void aPropertyThatLeavesTestsOutSkipsTheGate() {
    assertEquals(
        Optional.empty(),
        CoverageGate.partialRun(
            List.of("skipTests=${skipTests}", "skipITs=false", "it.test=", "maven.test.skip")));
    assertEquals(
        Optional.of("skipTests=true"),
        CoverageGate.partialRun(List.of("skipITs=${skipITs}", "skipTests=true", "it.test=X")));
    assertEquals(
        Optional.of("it.test=ResumeIT"),
        CoverageGate.partialRun(List.of("skipTests=false", "it.test=ResumeIT")));
  }

  @Test
  void refusesACsvItCannotRead() {
    assertThrows(IllegalArgumentException.class, () -> CoverageGate.parse(List.of()));
    IllegalArgumentException noColumn =
        assertThrows(
            IllegalArgumentException.class,
            () -> CoverageGate.parse(List.of(HEADER.replace("LINE_MISSED", "LINES"))));
    assertTrue(noColumn.getMessage().contains("no column LINE_MISSED"), noColumn.getMessage());
    IllegalArgumentException badCount =
        assertThrows(
            IllegalArgumentException.class,
            () -> CoverageGate.parse(List.of(HEADER, "g,p,C,0,0,0,0,x,1,0,0,0,0")));
    assertTrue(badCount.getMessage().contains("row 2: 'x' is not a count"), badCount.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> CoverageGate.parse(List.of(HEADER, "g,p,C,0,0")));
  }
}
