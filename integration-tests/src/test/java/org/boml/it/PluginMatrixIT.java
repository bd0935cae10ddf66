package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boml.api.Capabilities;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.Options;
import org.boml.api.Plugin;
import org.boml.api.Variables;
import org.boml.it.Combination.Problem;
import org.boml.runtime.Engines;
import org.boml.runtime.check.QuadraticProblem;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.runtime.train.IterationReport;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.PlainVariables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every legal combination of hypergradient module (every one on the module path, with each option
 * set of {@link MatrixPlugins#methodOptions}) x lower-level dynamics (every one on the module path)
 * x outer optimizer (SGD, momentum, Adam) runs a few outer iterations in-process, on real Omniglot
 * in both families and on the quadratic problem; every illegal one must be refused before any work.
 * Legality is what the runtime's {@link org.boml.runtime.plugin.Compatibility} makes of the
 * plugins' declarations, never a list kept here.
 *
 * <ul>
 *   <li>Omniglot (3-way 1-shot, 2 queries, a Conv-4 of 8 filters, {@code T = 2}, meta-batch 2, 2
 *       meta-iterations): every upper objective and hypergradient is finite, every hypergradient is
 *       non-zero, and the meta-parameters move; with the Adam outer optimizer (whose first step
 *       moves every coordinate with a non-zero gradient by about its learning rate) every group of
 *       them does (the model's, and each group a method or the dynamics add), so that no group gets
 *       an all-zero hypergradient.
 *   <li>Quadratic ({@link QuadraticProblem}, 3 hyperparameters, 5 lower-level variables, {@code T =
 *       100}, 3 outer iterations, declared to the optimizer as a problem whose {@code x} enters
 *       only {@code f}): every value is finite, the hypergradient that every report holds is
 *       non-zero, and the outer objective decreases.
 *   <li>Refused: the builder throws {@link IncompatiblePluginsException} whose message names both
 *       plugins, and not a task was drawn nor an objective evaluated.
 * </ul>
 *
 * The table of what ran is printed at the end and written to {@code target/plugin-matrix.txt}.
 */
class PluginMatrixIT {
  private static final int OMNIGLOT_ITERATIONS = 2;
  private static final int META_BATCH = 2;
  private static final double OMNIGLOT_META_LR = 0.01;
  private static final int QUADRATIC_ITERATIONS = 3;
  private static final double QUADRATIC_META_LR = 0.02;
  private static final long SEED = 7;

  private static final MatrixTable TABLE = new MatrixTable();
  private static Dataset omniglot;

  @Test
  void discoversTheBundledPlugins() {
    assertEquals(List.of(), MatrixPlugins.registry().problems());
    Set<String> methods = names(MatrixPlugins.methods());
    assertTrue(
        methods.containsAll(Set.of("rhg", "fmaml", "trhg", "hoag", "darts", "fhg")),
        methods::toString);
    Set<String> dynamics = names(MatrixPlugins.dynamics());
    assertTrue(dynamics.containsAll(Set.of("gd", "momentum", "adam", "bda")), dynamics::toString);
  }

  @Test
  void everyMethodAndEveryDynamicsRunsOnEachKindOfProblem() {
    for (List<Combination> cells : List.of(omniglotCells().toList(), quadraticCells().toList())) {
      boolean modelFree = cells.get(0).problem() == Problem.QUADRATIC;
      Set<Problem> problems = cells.stream().map(Combination::problem).collect(Collectors.toSet());
      Set<String> methods = cells.stream().map(c -> c.method().name()).collect(Collectors.toSet());
      Set<String> dynamics =
          cells.stream().map(c -> c.dynamics().name()).collect(Collectors.toSet());
      assertEquals(
          names(MatrixPlugins.methods(), modelFree).stream()
              .filter(method -> problems.stream().anyMatch(p -> suppliedBy(p, method)))
              .collect(Collectors.toSet()),
          methods,
          "methods without a legal combination");
      assertEquals(
          names(MatrixPlugins.dynamics(), modelFree),
          dynamics,
          "dynamics without a legal combination");
    }
    assertTrue(refusedCells().findAny().isPresent(), "no combination is illegal");
  }

  /** Whether the problem supplies everything the method requires of problems. */
  private static boolean suppliedBy(Problem problem, String method) {
    HypergradientModuleProvider provider = MatrixPlugins.registry().hypergradient(method);
    Set<String> required =
        new TreeSet<>(provider.requirements(Options.forProvider(Map.of(), provider)));
    required.retainAll(Capabilities.OF_PROBLEM);
    return problem.kind().capabilities().containsAll(required);
  }

  static Stream<Combination> omniglotCells() {
    return Stream.concat(
            Combination.all(Problem.OMNIGLOT_META_INIT).stream(),
            Combination.all(Problem.OMNIGLOT_META_FEATURE).stream())
        .filter(Combination::legal);
  }

  /** The legal cells on the quadratic problem, which has no model for a method to extend. */
  static Stream<Combination> quadraticCells() {
    return Combination.all(Problem.QUADRATIC).stream()
        .filter(Combination::legal)
        .filter(c -> !c.extendsModel());
  }

  static Stream<Combination> refusedCells() {
    return Stream.of(Problem.values())
        .flatMap(p -> Combination.all(p).stream())
        .filter(c -> !c.legal());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("omniglotCells")
  void runsOnOmniglot(Combination cell) throws DatasetException {
    long start = System.nanoTime();
    CountingDataset data = new CountingDataset(omniglot());
    List<IterationReport> reports = new ArrayList<>();
    Map<String, Double> moved;
    try (MetaLearner learner = omniglotLearner(cell, data).build()) {
      Map<String, double[]> before = groups(learner.metaParameters());
      learner.train(OMNIGLOT_ITERATIONS, reports::add);
      moved = movement(before, groups(learner.metaParameters()));
    }
    assertEquals(OMNIGLOT_ITERATIONS * META_BATCH, data.samples(), cell::toString);
    for (IterationReport report : reports) {
      assertTrue(Double.isFinite(report.upperObjective()), () -> cell + ": " + reports);
    }
    assertHypergradients(cell, reports);
    double largest = moved.values().stream().mapToDouble(Double::doubleValue).max().orElse(0);
    assertTrue(largest > 0, () -> cell + ": the meta-parameters did not move");
    if (cell.optimizer().equals("adam")) {
      moved.forEach(
          (group, by) ->
              assertTrue(
                  by > 0,
                  () -> cell + ": the group " + group + " did not move (all-zero hypergradient)"));
    }
    TABLE.ran(cell, measured(reports, "max |dx| by group " + format(moved)), seconds(start));
  }

  /**
   * Every hypergradient is finite and non-zero, and where the report holds the hypergradient itself
   * ({@link HyperparameterOptimizer}) so is every variable of it.
   */
  private static void assertHypergradients(Combination cell, List<IterationReport> reports) {
    for (IterationReport report : reports) {
      double norm = report.hypergradientNorm();
      assertTrue(Double.isFinite(norm), () -> cell + ": a hypergradient is not finite: " + reports);
      assertTrue(norm > 0, () -> cell + ": the hypergradient is zero: " + reports);
      PlainVariables gradient = report.hypergradient();
      if (gradient != null) {
        for (String name : gradient.names()) {
          assertTrue(
              Arrays.stream(gradient.values(name)).anyMatch(v -> v != 0),
              () -> cell + ": the hypergradient of " + name + " is zero: " + reports);
        }
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("quadraticCells")
  void runsOnTheQuadraticProblem(Combination cell) {
    long start = System.nanoTime();
    List<IterationReport> reports = new ArrayList<>();
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
      QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, SEED);
      try (HyperparameterOptimizer search =
          quadraticOptimizer(cell, new CountingProblem(quadratic), quadratic.initialMeta(SEED))
              .build()) {
        search.run(QUADRATIC_ITERATIONS, reports::add);
      }
    }
    double first = reports.get(0).upperObjective();
    double last = reports.get(reports.size() - 1).upperObjective();
    assertHypergradients(cell, reports);
    assertTrue(
        last < first,
        () -> cell + ": the outer objective did not decrease, " + first + " -> " + last);
    TABLE.ran(cell, measured(reports, ""), seconds(start));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCells")
  void illegalCombinationsAreRefusedBeforeAnyWork(Combination cell) throws DatasetException {
    long start = System.nanoTime();
    IncompatiblePluginsException refusal;
    if (cell.problem() == Problem.QUADRATIC) {
      Engines.pytorch();
      try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
        QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, SEED);
        CountingProblem counted = new CountingProblem(quadratic);
        HyperparameterOptimizer.Builder builder =
            quadraticOptimizer(cell, counted, quadratic.initialMeta(SEED));
        refusal = assertThrows(IncompatiblePluginsException.class, builder::build, cell::toString);
        assertEquals(0, counted.evaluations(), cell + ": the problem was evaluated");
      }
    } else {
      CountingDataset data = new CountingDataset(omniglot());
      MetaLearner.Builder builder = omniglotLearner(cell, data);
      refusal = assertThrows(IncompatiblePluginsException.class, builder::build, cell::toString);
      assertEquals(0, data.samples(), cell + ": tasks were drawn");
    }
    String message = refusal.getMessage();
    assertTrue(message.startsWith(cell.refusalPrefix()), message);
    for (String reason : cell.reasons()) {
      assertTrue(message.contains(reason), () -> message + " lacks: " + reason);
    }
    TABLE.refused(cell, message.substring(cell.refusalPrefix().length()), seconds(start));
  }

  @AfterAll
  static void printTableAndCloseData() throws IOException {
    if (omniglot != null) {
      omniglot.close();
    }
    String table =
        TABLE.render()
            + String.format(
                Locale.ROOT,
                "CPU time of this test JVM so far (other ITs of the same fork included): %.1f s%n",
                ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L)
                    / 1e3);
    System.out.println("Plugin matrix:\n" + table);
    Path target = Path.of(System.getProperty("basedir", "."), "target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("plugin-matrix.txt"), table);
    }
  }

  /** The shared Omniglot dataset (3-way 1-shot, 2 queries, reference split), opened once. */
  private static synchronized Dataset omniglot() throws DatasetException {
    if (omniglot == null) {
      DatasetProvider provider = MatrixPlugins.registry().dataset("omniglot");
      omniglot =
          provider.open(
              Map.of(
                  "data-dir", OmniglotTrainingIT.omniglot().toString(),
                  "split", "peer",
                  "ways", "3",
                  "shots", "1",
                  "queries", "2"));
    }
    return omniglot;
  }

  private static MetaLearner.Builder omniglotLearner(Combination cell, Dataset data) {
    ModelProvider convnet = MatrixPlugins.registry().model("convnet");
    Map<String, String> options =
        Map.of("filters", Integer.toString(MatrixPlugins.omniglotFilters(cell.method().name())));
    Model model =
        convnet.create(
            new ModelSpec(
                data.inputShape(), data.outputs(), Options.forProvider(options, convnet)));
    return MetaLearner.builder()
        .dataset(data)
        .model(model)
        .family(cell.problem().family())
        .dynamics(cell.dynamics(), cell.dynamicsOptions())
        .hypergradient(cell.method(), cell.methodOptions())
        .plugins(MatrixPlugins.registry())
        .innerSteps(cell.problem().steps())
        .metaBatch(META_BATCH)
        .optimizer(MatrixPlugins.optimizer(cell.optimizer()), OMNIGLOT_META_LR)
        .clipNorm(1)
        .workers(Runtime.getRuntime().availableProcessors())
        .seed(SEED);
  }

  private static HyperparameterOptimizer.Builder quadraticOptimizer(
      Combination cell, CountingProblem problem, Variables initial) {
    return HyperparameterOptimizer.builder()
        .problem(problem)
        .problemKind(cell.problem().kind())
        .hyperparameters(initial)
        .dynamics(cell.dynamics(), cell.dynamicsOptions())
        .hypergradient(cell.method(), cell.methodOptions())
        .plugins(MatrixPlugins.registry())
        .innerSteps(cell.problem().steps())
        .optimizer(MatrixPlugins.optimizer(cell.optimizer()), QUADRATIC_META_LR);
  }

  private static Set<String> names(List<? extends Plugin> providers) {
    return names(providers, false);
  }

  /** The plugins' names; without those that extend the model when the problem has none. */
  private static Set<String> names(List<? extends Plugin> providers, boolean withoutModel) {
    return providers.stream()
        .filter(plugin -> !withoutModel || !extendsModel(plugin))
        .map(Plugin::name)
        .collect(Collectors.toSet());
  }

  private static boolean extendsModel(Plugin plugin) {
    Options defaults = Options.forProvider(Map.of(), plugin);
    return plugin instanceof HypergradientModuleProvider method
        ? method.modelExtension(defaults).isPresent()
        : ((IterationModuleProvider) plugin).modelExtension(defaults).isPresent();
  }

  /**
   * The meta-parameters' values by group: the part of the name before {@code /} for what a method
   * or the dynamics add ({@code metasgd.lr/...}, {@code mtnet.T/...}, {@code warpgrad.warp/...};
   * Meta-SGD's scalar step size {@code metasgd.lr}), {@code model} for the model's own.
   */
  private static Map<String, double[]> groups(Variables values) {
    Map<String, List<double[]>> parts = new TreeMap<>();
    for (String name : values.names()) {
      int slash = name.indexOf('/');
      String group =
          slash > 0 ? name.substring(0, slash) : name.startsWith("metasgd.") ? name : "model";
      parts
          .computeIfAbsent(group, g -> new ArrayList<>())
          .add(values.get(name).toType(DataType.FLOAT64, false).toDoubleArray());
    }
    Map<String, double[]> flat = new TreeMap<>();
    parts.forEach(
        (group, arrays) ->
            flat.put(group, arrays.stream().flatMapToDouble(Arrays::stream).toArray()));
    return flat;
  }

  /** The largest change of any entry of each group. */
  private static Map<String, Double> movement(
      Map<String, double[]> before, Map<String, double[]> after) {
    Map<String, Double> moved = new TreeMap<>();
    before.forEach(
        (group, a) -> {
          double[] b = after.get(group);
          double max = 0;
          for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
          }
          moved.put(group, max);
        });
    return moved;
  }

  private static String format(Map<String, Double> moved) {
    return moved.entrySet().stream()
        .map(e -> e.getKey() + " " + format(e.getValue()))
        .collect(Collectors.joining(", "));
  }

  private static String measured(List<IterationReport> reports, String more) {
    return "F "
        + reports.stream().map(r -> format(r.upperObjective())).collect(Collectors.joining(" -> "))
        + ", |g| "
        + reports.stream()
            .map(r -> format(r.hypergradientNorm()))
            .collect(Collectors.joining(" -> "))
        + (more.isEmpty() ? "" : ", " + more);
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
