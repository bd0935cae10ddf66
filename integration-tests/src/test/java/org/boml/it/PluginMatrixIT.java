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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.boml.api.DatasetException;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.Plugin;
import org.boml.api.Variables;
import org.boml.engine.pytorch.Engines;
import org.boml.it.Combination.Data;
import org.boml.it.Combination.Problem;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.plugin.IncompatiblePluginsException;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.HyperparameterOptimizer;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.MetaLearnerBuilder;
import org.boml.runtime.train.OuterOptimizer;
import org.boml.testkit.QuadraticProblem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every legal combination of hypergradient module x lower-level dynamics x family x model (every
 * plugin on the module path, with the option sets of {@link MatrixPlugins}) computes the right
 * hypergradient: on a small float64 problem ({@link MatrixData}: sinusoid on an MLP with {@code T =
 * 1} and {@code T = 3}, real Omniglot on a conv net and the committed task folders on a ResNet with
 * {@code T = 2}, the quadratic problem with {@code T = 4}), each cell's hypergradient is compared
 * with an independent reference for exactly the function its method claims to differentiate ({@link
 * ValueCheck}: central finite differences of that function, or the dense implicit formula for
 * {@code hoag}); exact identities between methods and between dynamics are checked to {@code 1e-9}
 * ({@link #identitiesHold}). The hyperparameters the dynamics learn as meta-parameters ({@code
 * learn-lr}, {@code learn-momentum}, {@code learn-alpha}, {@code learn-s}, Meta-SGD's {@code
 * init=uniform}; {@link MatrixPlugins#learnedHyperparameters}) are cells of their own on the
 * sinusoid and the quadratic problem ({@link #everyLearnedHyperparameterIsCheckedAndRefused}), each
 * learned hyperparameter compared along its own directions, and at their initial values they give
 * the constants' hypergradient of the model's meta-parameters (an identity). Every illegal
 * combination must be refused before any work. Legality is what the runtime's {@link
 * org.boml.runtime.plugin.Compatibility} makes of the plugins' declarations, never a list kept
 * here. A missing Omniglot ({@code ../shared/data/omniglot}) fails the Omniglot cells.
 *
 * <p>Runtime (measured 2026-12-05 on the 2-core development machine, load average 8 to 11 from
 * other builds): 1157 tests (1109 cells, 45 identities) in 94 s of wall time, 60 s of CPU time of
 * the test JVM; the same matrix without the learned hyperparameters' cells and identities (292
 * cells, 15 identities) took 90 s and 58 s right after, so they add about 4 s (their cells take 2
 * s; most are refusals); at load 1.4 the whole class ran in 38 s. The slowest cells are {@code fhg}
 * on the conv net and the ResNet (one tangent per meta-parameter, up to 11 s under heavy load). The
 * table of what ran, with each cell's reference, worst comparison and time, is printed at the end
 * and written to {@code target/plugin-matrix.txt}.
 */
class PluginMatrixIT {
  private static final MatrixTable TABLE = new MatrixTable();
  private static final MatrixData DATA = new MatrixData();

  @Test
  void discoversTheBundledPlugins() {
    assertEquals(List.of(), MatrixPlugins.registry().problems());
    Set<String> methods = names(MatrixPlugins.methods());
    assertTrue(
        methods.containsAll(Set.of("rhg", "fmaml", "trhg", "hoag", "darts", "fhg", "warpgrad")),
        methods::toString);
    Set<String> dynamics = names(MatrixPlugins.dynamics());
    assertTrue(
        dynamics.containsAll(Set.of("gd", "momentum", "adam", "bda", "metasgd", "mtnet")),
        dynamics::toString);
  }

  /**
   * Every method and every dynamics has a checked cell on every model (where a family allows it),
   * the models run at two horizons at least, and some combinations are illegal.
   */
  @Test
  void everyMethodAndEveryDynamicsIsCheckedOnEveryModel() {
    for (Data data : Data.values()) {
      List<Combination> cells = checkedCells().filter(c -> c.problem().data() == data).toList();
      boolean modelFree = data == Data.QUADRATIC;
      Set<String> methods = cells.stream().map(c -> c.method().name()).collect(Collectors.toSet());
      Set<String> dynamics =
          cells.stream().map(c -> c.dynamics().name()).collect(Collectors.toSet());
      Set<String> legalSomewhere =
          allCells()
              .filter(c -> c.problem().data() == data)
              .filter(Combination::legal)
              .map(c -> c.method().name())
              .collect(Collectors.toSet());
      assertEquals(legalSomewhere, methods, data + ": methods without a checked cell");
      assertTrue(methods.size() >= (modelFree ? 4 : 6), data + ": " + methods);
      assertEquals(
          names(MatrixPlugins.dynamics(), modelFree),
          dynamics,
          data + ": dynamics without a checked cell");
    }
    Set<Integer> horizons =
        checkedCells().map(c -> c.problem().steps()).collect(Collectors.toSet());
    assertTrue(horizons.size() >= 2, horizons::toString);
    assertTrue(refusedCells().findAny().isPresent(), "no combination is illegal");
  }

  /**
   * Every hyperparameter the dynamics learn ({@link MatrixPlugins#learnedHyperparameters}) is
   * value-checked with {@code rhg}, {@code trhg} with {@code K >= T} and {@code fhg} on the
   * sinusoid and, where it needs no model, the quadratic problem, and with {@code fmaml} on the
   * sinusoid; and refused with {@code hoag} and {@code darts} everywhere, with {@code warpgrad}
   * (which extends the model too) on the sinusoid and with {@code fmaml} (which needs x beyond f)
   * on the quadratic.
   */
  @Test
  void everyLearnedHyperparameterIsCheckedAndRefused() {
    List<Combination> checked = checkedCells().toList();
    List<Combination> refused = refusedCells().toList();
    int sets = 0;
    for (Problem problem : MatrixPlugins.problems()) {
      if (!problem.data().everyOptionSet()) {
        continue;
      }
      for (IterationModuleProvider dynamics : MatrixPlugins.dynamics()) {
        Map<String, String> constants = MatrixPlugins.dynamicsOptions(dynamics, problem).get(0);
        for (Map<String, String> learned :
            MatrixPlugins.learnedHyperparameters(dynamics.name(), constants)) {
          Predicate<Combination> same =
              c ->
                  c.problem().equals(problem)
                      && c.dynamics() == dynamics
                      && c.dynamicsOptions().equals(learned);
          Set<String> methods =
              checked.stream()
                  .filter(same)
                  .map(c -> c.method().name())
                  .collect(Collectors.toCollection(TreeSet::new));
          Set<String> refusing =
              refused.stream()
                  .filter(same)
                  .map(c -> c.method().name())
                  .collect(Collectors.toCollection(TreeSet::new));
          String where = problem + ", " + dynamics.name() + " " + learned;
          if (problem.data() == Data.QUADRATIC && dynamics.name().equals("metasgd")) {
            assertEquals(Set.of(), methods, where);
            continue;
          }
          boolean quadratic = problem.data() == Data.QUADRATIC;
          assertTrue(
              methods.containsAll(
                  quadratic ? Set.of("rhg", "trhg", "fhg") : Set.of("rhg", "trhg", "fhg", "fmaml")),
              where + ": " + methods);
          assertTrue(
              refusing.containsAll(
                  quadratic
                      ? Set.of("hoag", "darts", "fmaml")
                      : Set.of("hoag", "darts", "warpgrad")),
              where + " refused by " + refusing);
          sets++;
        }
      }
    }
    // 6 option sets on 4 sinusoid problems, 5 (no Meta-SGD) on the quadratic one
    assertEquals(6 * 4 + 5, sets);
  }

  private static Stream<Combination> allCells() {
    return MatrixPlugins.problems().stream().flatMap(p -> Combination.all(p).stream());
  }

  /**
   * The legal cells; on the quadratic problem, which has no model, without the methods and dynamics
   * that need one ({@link Combination#needsModel()}); never both a method and dynamics that extend
   * the model.
   */
  static Stream<Combination> checkedCells() {
    return allCells()
        .filter(Combination::legal)
        .filter(c -> !c.extendsModelTwice())
        .filter(c -> c.problem().data() != Data.QUADRATIC || !c.needsModel());
  }

  /** The illegal cells, and those where both the method and the dynamics extend the model. */
  static Stream<Combination> refusedCells() {
    return allCells()
        .filter(c -> !c.legal() || c.extendsModelTwice())
        .filter(c -> c.problem().data() != Data.QUADRATIC || !c.needsModel());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("checkedCells")
  void theHypergradientMatchesItsReference(Combination cell) throws DatasetException {
    long start = System.nanoTime();
    ValueCheck.Outcome outcome;
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
      MatrixData.Instance instance = DATA.instance(cell, extension(cell), manager);
      outcome =
          ValueCheck.check(
              cell,
              instance,
              cell.method().create(cell.resolvedMethodOptions()),
              cell.dynamics().create(cell.dynamicsOptions()));
    }
    TABLE.ran(cell, outcome.toString(), seconds(start));
  }

  /** Two cells that must give the same hypergradient (of the model's meta-parameters). */
  record Identity(String claim, Combination cell, Combination same) {
    @Override
    public String toString() {
      return cell.problem() + ": " + claim;
    }
  }

  static Stream<Identity> identities() {
    List<Identity> identities = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    for (Family family : Family.values()) {
      problems.add(new Problem(Data.SINUSOID, family, 3));
      problems.add(new Problem(Data.OMNIGLOT, family, 2));
    }
    problems.add(new Problem(Data.QUADRATIC, null, 4));
    for (Problem problem : problems) {
      String lr = problem.data().innerLearningRate();
      Combination rhgGd = cell(problem, "rhg", Map.of(), "gd", Map.of("lr", lr));
      String steps = Integer.toString(problem.steps());
      identities.add(
          new Identity(
              "rhg by replay = by graph",
              cell(problem, "rhg", Map.of("strategy", "replay"), "gd", Map.of("lr", lr)),
              rhgGd));
      identities.add(
          new Identity(
              "trhg with K = T = rhg",
              cell(problem, "trhg", Map.of("truncation", steps), "gd", Map.of("lr", lr)),
              rhgGd));
      identities.add(
          new Identity(
              "fhg = rhg",
              cell(problem, "fhg", Map.of("max-hyperparameters", "100000"), "gd", Map.of("lr", lr)),
              rhgGd));
      identities.add(
          new Identity(
              "bda with alpha = 0 = gd",
              cell(problem, "rhg", Map.of(), "bda", Map.of("lr", lr, "alpha", "0")),
              rhgGd));
      identities.add(
          new Identity(
              "momentum 0 = gd",
              cell(problem, "rhg", Map.of(), "momentum", Map.of("lr", lr, "momentum", "0")),
              rhgGd));
      if (problem.data() != Data.QUADRATIC) {
        identities.add(
            new Identity(
                "metasgd with equal rates, held fixed = gd",
                cell(problem, "rhg", Map.of(), "metasgd", Map.of("lr", lr)),
                rhgGd));
      }
      if (problem.data().everyOptionSet()) {
        identities.addAll(learnedAtTheirInitialValues(problem));
      }
      if (problem.family() == Family.META_FEATURE && problem.data() == Data.SINUSOID) {
        identities.add(
            new Identity(
                "darts on a squared-error head = trhg with K = 1",
                cell(problem, "darts", Map.of(), "gd", Map.of("lr", lr)),
                cell(problem, "trhg", Map.of("truncation", "1"), "gd", Map.of("lr", lr))));
      }
    }
    return identities.stream();
  }

  /**
   * For every option set of {@link MatrixPlugins#learnedHyperparameters} that learns a constant
   * ({@code learn-...}; Meta-SGD's random initial rates have no constant counterpart): {@code rhg}
   * with the learned hyperparameters at their initial values = with the constants.
   */
  private static List<Identity> learnedAtTheirInitialValues(Problem problem) {
    List<Identity> identities = new ArrayList<>();
    for (IterationModuleProvider dynamics : MatrixPlugins.dynamics()) {
      List<Map<String, String>> sets = MatrixPlugins.dynamicsOptions(dynamics, problem);
      Map<String, String> constants = sets.get(0);
      for (Map<String, String> learned :
          MatrixPlugins.learnedHyperparameters(dynamics.name(), constants)) {
        if (learned.keySet().stream().noneMatch(key -> key.startsWith("learn-"))) {
          continue;
        }
        Combination cell = cell(problem, "rhg", Map.of(), dynamics.name(), learned);
        identities.add(
            new Identity(
                cell.dynamicsLabel() + " at the initial values = the constants",
                cell,
                cell(problem, "rhg", Map.of(), dynamics.name(), constants)));
      }
    }
    return identities;
  }

  private static Combination cell(
      Problem problem,
      String method,
      Map<String, String> methodOptions,
      String dynamics,
      Map<String, String> dynamicsOptions) {
    return new Combination(
        problem,
        MatrixPlugins.registry().hypergradient(method),
        methodOptions,
        MatrixPlugins.registry().iteration(dynamics),
        dynamicsOptions);
  }

  /**
   * The exact identities between methods and between dynamics hold to {@code 1e-9} of the norm, on
   * the model's meta-parameters (Meta-SGD's added step sizes are held fixed).
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("identities")
  void identitiesHold(Identity identity) throws DatasetException {
    assertTrue(identity.cell().legal(), () -> identity + ": " + identity.cell().reasons());
    assertTrue(identity.same().legal(), () -> identity + ": " + identity.same().reasons());
    double[] a = modelHypergradient(identity.cell());
    double[] b = modelHypergradient(identity.same());
    double difference = 0;
    double norm = 0;
    for (int i = 0; i < b.length; i++) {
      difference += (a[i] - b[i]) * (a[i] - b[i]);
      norm += b[i] * b[i];
    }
    double relative = Math.sqrt(difference / norm);
    assertTrue(norm > 0, identity + ": the hypergradient is zero");
    assertTrue(relative < 1e-9, () -> identity + ": relative difference " + relative);
  }

  private static double[] modelHypergradient(Combination cell) throws DatasetException {
    Engines.pytorch();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
      MatrixData.Instance instance = DATA.instance(cell, extension(cell), manager);
      TorchDifferentiator d = TorchDifferentiator.get();
      Variables gradient =
          cell.method()
              .create(cell.resolvedMethodOptions())
              .compute(
                  instance.problem(),
                  cell.dynamics().create(cell.dynamicsOptions()),
                  instance.x().map(d::leaf),
                  cell.problem().steps(),
                  d)
              .gradient()
              .select(name -> ValueCheck.group(name).equals("model"));
      return gradient.values().stream()
          .flatMapToDouble(
              v -> java.util.Arrays.stream(v.toType(DataType.FLOAT64, false).toDoubleArray()))
          .toArray();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedCells")
  void illegalCombinationsAreRefusedBeforeAnyWork(Combination cell) throws DatasetException {
    long start = System.nanoTime();
    RuntimeException refusal;
    if (cell.problem().data() == Data.QUADRATIC) {
      Engines.pytorch();
      try (NDManager manager = NDManager.newBaseManager(Device.cpu(), Engines.PYTORCH)) {
        QuadraticProblem quadratic = new QuadraticProblem(manager, 3, 5, MatrixData.SEED);
        CountingProblem counted = new CountingProblem(quadratic);
        HyperparameterOptimizer.Builder builder =
            HyperparameterOptimizer.builder()
                .problem(counted)
                .problemKind(cell.problem().kind())
                .hyperparameters(quadratic.initialMeta(MatrixData.SEED))
                .dynamics(cell.dynamics(), cell.dynamicsOptions())
                .hypergradient(cell.method(), cell.methodOptions())
                .plugins(MatrixPlugins.registry())
                .innerSteps(cell.problem().steps())
                .optimizer(OuterOptimizer.sgd(), 0.01);
        refusal = assertThrows(IncompatiblePluginsException.class, builder::build, cell::toString);
        assertEquals(0, counted.evaluations(), cell + ": the problem was evaluated");
      }
    } else {
      CountingDataset data = new CountingDataset(DATA.dataset(cell.problem().data()));
      MetaLearnerBuilder builder =
          MetaLearner.builder()
              .dataset(data)
              .model(DATA.model(cell.problem().data()))
              .family(cell.problem().family())
              .dynamics(cell.dynamics(), cell.dynamicsOptions())
              .hypergradient(cell.method(), cell.methodOptions())
              .plugins(MatrixPlugins.registry())
              .innerSteps(cell.problem().steps())
              .dataType(DataType.FLOAT64);
      refusal =
          cell.legal()
              ? assertThrows(IllegalArgumentException.class, builder::build, cell::toString)
              : assertThrows(IncompatiblePluginsException.class, builder::build, cell::toString);
      assertEquals(0, data.samples(), cell + ": tasks were drawn");
    }
    String message = refusal.getMessage();
    if (cell.legal()) {
      assertTrue(
          message.contains("'" + cell.method().name() + "'")
              && message.contains("'" + cell.dynamics().name() + "'")
              && message.contains("add parameters to the model"),
          message);
      TABLE.refused(cell, message, seconds(start));
      return;
    }
    assertTrue(message.startsWith(cell.refusalPrefix()), message);
    for (String reason : cell.reasons()) {
      assertTrue(message.contains(reason), () -> message + " lacks: " + reason);
    }
    TABLE.refused(cell, message.substring(cell.refusalPrefix().length()), seconds(start));
  }

  @AfterAll
  static void printTableAndCloseData() throws IOException {
    DATA.close();
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

  /** What the method or the dynamics adds to the model (at most one of them does). */
  static Optional<ModelExtension> extension(Combination cell) {
    Optional<ModelExtension> fromDynamics = cell.dynamicsExtension();
    return fromDynamics.isPresent()
        ? fromDynamics
        : cell.method()
            .modelExtension(Options.forProvider(cell.resolvedMethodOptions(), cell.method()));
  }

  private static Set<String> names(List<? extends Plugin> providers) {
    return names(providers, false);
  }

  /** The plugins' names; without those that extend the model when the problem has none. */
  private static Set<String> names(List<? extends Plugin> providers, boolean withoutModel) {
    return providers.stream()
        .filter(plugin -> !withoutModel || !extendsModel(plugin))
        .map(Plugin::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static boolean extendsModel(Plugin plugin) {
    Options defaults = Options.forProvider(Map.of(), plugin);
    return plugin instanceof HypergradientModuleProvider method
        ? method.modelExtension(defaults).isPresent()
        : ((IterationModuleProvider) plugin).modelExtension(defaults).isPresent();
  }

  private static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
