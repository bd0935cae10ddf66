package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.boml.api.Capabilities;
import org.boml.api.Dataset;
import org.boml.api.Hypergradient;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.IterationModule;
import org.boml.api.IterationModuleProvider;
import org.boml.api.ModelExtension;
import org.boml.api.OptionSpec;
import org.boml.api.Options;
import org.boml.api.ParameterSpec;
import org.boml.api.TaskKind;
import org.boml.api.Variables;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;
import org.boml.runtime.train.MetaLearnerBuilder;
import org.junit.jupiter.api.Test;

/**
 * The rules that plugins declare, enforced with the runtime's dynamics: a DARTS-like method
 * (gradient steps, x in f, T >= 1, shared lr), a method that differentiates through the steps, and
 * dynamics that cannot be differentiated through.
 */
class CompatibilityTest {
  private static final PluginRegistry REGISTRY = PluginRegistry.discover(List.of());
  private static final IterationModuleProvider GD = REGISTRY.iteration("gd");
  private static final IterationModuleProvider MOMENTUM = REGISTRY.iteration("momentum");
  private static final Compatibility.ProblemKind FEATURE =
      Compatibility.ProblemKind.of(Family.META_FEATURE);

  /** Declares what DARTS declares and remembers the options it was created with. */
  static final class DartsLike implements HypergradientModuleProvider {
    final AtomicReference<Options> created = new AtomicReference<>();

    @Override
    public String name() {
      return "darts-like";
    }

    @Override
    public String description() {
      return "test";
    }

    @Override
    public List<OptionSpec> options() {
      return List.of(new OptionSpec("lr", "0.01", "the dynamics' step size"));
    }

    @Override
    public Set<String> requirements(Options options) {
      return Set.of(Capabilities.GRADIENT_STEP, Capabilities.X_IN_LOWER_OBJECTIVE);
    }

    @Override
    public int minimumSteps(Options options) {
      return 1;
    }

    @Override
    public Set<String> sharedDynamicsOptions() {
      return Set.of("lr");
    }

    @Override
    public HypergradientModule create(Options options) {
      created.set(options);
      return (problem, dynamics, x, steps, d) -> new Hypergradient(x, 0);
    }
  }

  /** Differentiates through the steps. */
  static class ReverseLike implements HypergradientModuleProvider {
    @Override
    public String name() {
      return "reverse-like";
    }

    @Override
    public String description() {
      return "test";
    }

    @Override
    public Set<String> requirements(Options options) {
      return Set.of(Capabilities.DIFFERENTIABLE_STEPS);
    }

    @Override
    public HypergradientModule create(Options options) {
      return (problem, dynamics, x, steps, d) -> new Hypergradient(x, 0);
    }
  }

  /** Dynamics that cannot be differentiated through (declares no capability). */
  static class Opaque implements IterationModuleProvider {
    @Override
    public String name() {
      return "opaque";
    }

    @Override
    public String description() {
      return "test";
    }

    @Override
    public Set<String> capabilities(Options options) {
      return Set.of();
    }

    @Override
    public IterationModule create(Options options) {
      return (step, x, y, problem, d, differentiable) -> y;
    }
  }

  private static Compatibility darts(
      IterationModuleProvider dynamics,
      Map<String, String> methodOptions,
      Map<String, String> dynamicsOptions,
      int steps,
      Compatibility.ProblemKind problem) {
    return new Compatibility(
        new DartsLike(),
        methodOptions,
        dynamics,
        dynamicsOptions,
        steps,
        problem,
        REGISTRY.iterations());
  }

  @Test
  void theBuiltInDynamicsDeclareTheirCapabilities() {
    assertEquals(
        Set.of(
            Capabilities.DIFFERENTIABLE_STEPS,
            Capabilities.GRADIENT_STEP,
            Capabilities.SINGLE_STATE,
            Capabilities.STATIONARY_LIMIT,
            Capabilities.STEPS_WITHOUT_META_PARAMETERS),
        GD.capabilities(Options.forProvider(Map.of(), GD)));
    IterationModuleProvider adam = REGISTRY.iteration("adam");
    for (IterationModuleProvider withVelocity : List.of(MOMENTUM, adam)) {
      assertEquals(
          Set.of(
              Capabilities.DIFFERENTIABLE_STEPS,
              Capabilities.STATIONARY_LIMIT,
              Capabilities.STEPS_WITHOUT_META_PARAMETERS),
          withVelocity.capabilities(Options.forProvider(Map.of(), withVelocity)));
      // a learned step size is a meta-parameter the steps read
      assertEquals(
          Set.of(Capabilities.DIFFERENTIABLE_STEPS, Capabilities.STATIONARY_LIMIT),
          withVelocity.capabilities(
              Options.forProvider(Map.of("lr-variable", "log_lr"), withVelocity)));
    }
  }

  @Test
  void missingCapabilitiesAreRefusedNamingBothPluginsWhatIsMissingAndWhatWouldWork() {
    IncompatiblePluginsException error =
        assertThrows(
            IncompatiblePluginsException.class,
            () -> darts(MOMENTUM, Map.of(), Map.of("momentum", "0.5"), 3, FEATURE).require());
    String message = error.getMessage();
    System.out.println(message);
    assertTrue(
        message.startsWith("hypergradient 'darts-like' cannot be used with dynamics 'momentum': "),
        message);
    assertTrue(
        message.contains("it requires gradient-step (every step y - lr grad_y f(x, y)"), message);
    assertTrue(
        message.contains("'momentum' with options [momentum=0.5] does not provide"), message);
    assertTrue(message.contains("dynamics that do, with their default options: gd"), message);
    assertEquals(List.of(), darts(GD, Map.of(), Map.of(), 3, FEATURE).reasons());
    // gd whose step size is read from x is no longer a constant-step gradient step
    List<String> learned =
        darts(GD, Map.of(), Map.of("lr-variable", "log_lr"), 3, FEATURE).reasons();
    assertEquals(1, learned.size(), learned.toString());
    assertTrue(
        learned.get(0).contains("'gd' with options [lr-variable=log_lr] does not provide")
            && learned.get(0).contains("dynamics that do, with their default options: gd"),
        learned.get(0));
  }

  @Test
  void tooFewStepsAndAFamilyWithoutXInTheLowerObjectiveAreRefused() {
    Compatibility.ProblemKind metaInit = Compatibility.ProblemKind.of(Family.META_INITIALIZATION);
    List<String> reasons = darts(GD, Map.of(), Map.of(), 0, metaInit).reasons();
    assertEquals(2, reasons.size(), reasons.toString());
    assertTrue(
        reasons.get(0).contains("at least 1 lower-level step(s), T >= 1, but T = 0"),
        reasons.get(0));
    assertTrue(
        reasons.get(1).contains("x-in-lower-objective")
            && reasons.get(1).contains("the meta-init family")
            && reasons.get(1).contains("use the meta-feature family instead"),
        reasons.get(1));
    // an unknown problem (a user's own) is not checked
    assertEquals(List.of(), darts(GD, Map.of(), Map.of(), 1, null).reasons());
  }

  /**
   * A method that needs every meta-parameter beyond f (as fmaml does) works in both families, is
   * not checked on an undeclared problem, and is refused on a problem declared to have
   * hyperparameters of f alone.
   */
  @Test
  void bothFamiliesReachBeyondTheLowerObjectiveAndADeclaredProblemIsChecked() {
    HypergradientModuleProvider firstOrderLike =
        new ReverseLike() {
          @Override
          public Set<String> requirements(Options options) {
            return Set.of(Capabilities.X_BEYOND_LOWER_OBJECTIVE);
          }
        };
    for (Family family : Family.values()) {
      assertEquals(
          List.of(),
          new Compatibility(
                  firstOrderLike,
                  Map.of(),
                  GD,
                  Map.of(),
                  2,
                  Compatibility.ProblemKind.of(family),
                  List.of())
              .reasons(),
          family::toString);
    }
    assertEquals(
        List.of(),
        new Compatibility(firstOrderLike, Map.of(), GD, Map.of(), 2, null, List.of()).reasons());
    Compatibility.ProblemKind ridge =
        Compatibility.ProblemKind.declared(
            "ridge regression", Set.of(Capabilities.X_IN_LOWER_OBJECTIVE));
    IncompatiblePluginsException refusal =
        assertThrows(
            IncompatiblePluginsException.class,
            () ->
                new Compatibility(firstOrderLike, Map.of(), GD, Map.of(), 2, ridge, List.of())
                    .require());
    assertTrue(
        refusal
            .getMessage()
            .startsWith(
                "hypergradient 'reverse-like' cannot be used with dynamics"
                    + " 'gd': it requires x-beyond-lower-objective (meta-parameters that all reach F or"
                    + " y_0, not only f), which ridge regression does not provide: use a hypergradient"),
        refusal.getMessage());
  }

  @Test
  void sharedOptionsAreFilledInFromTheDynamicsAndMustAgree() {
    assertEquals(
        Map.of("lr", "0.4"),
        darts(GD, Map.of(), Map.of("lr", "0.4"), 1, FEATURE).resolvedMethodOptions());
    assertEquals(
        Map.of("lr", "0.01"), darts(GD, Map.of(), Map.of(), 1, FEATURE).resolvedMethodOptions());
    assertEquals(
        List.of(), darts(GD, Map.of("lr", "0.40"), Map.of("lr", "0.4"), 1, FEATURE).reasons());
    List<String> reasons =
        darts(GD, Map.of("lr", "0.1"), Map.of("lr", "0.4"), 1, FEATURE).reasons();
    assertEquals(
        List.of(
            "its option lr=0.1 must equal the dynamics' lr=0.4 (leave it unset to take the"
                + " dynamics' value)"),
        reasons);
  }

  /** An extension that adds nothing, enough to declare one. */
  private static final ModelExtension ADDS_NOTHING =
      new ModelExtension() {
        @Override
        public List<ParameterSpec> parameters(org.boml.api.Model model, Set<String> adapted) {
          return List.of();
        }

        @Override
        public Variables initialize(
            List<ParameterSpec> parameters,
            ai.djl.ndarray.NDManager manager,
            ai.djl.ndarray.types.DataType dataType,
            long seed) {
          return Variables.of(Map.of());
        }
      };

  @Test
  void aMethodAndDynamicsThatBothExtendTheModelAreRefused() {
    IterationModuleProvider extendingDynamics =
        new Opaque() {
          @Override
          public Set<String> capabilities(Options options) {
            return Set.of(Capabilities.DIFFERENTIABLE_STEPS);
          }

          @Override
          public Optional<ModelExtension> modelExtension(Options options) {
            return Optional.of(ADDS_NOTHING);
          }
        };
    HypergradientModuleProvider extendingMethod =
        new ReverseLike() {
          @Override
          public Optional<ModelExtension> modelExtension(Options options) {
            return Optional.of(ADDS_NOTHING);
          }
        };
    new Compatibility(
            new ReverseLike(), Map.of(), extendingDynamics, Map.of(), 1, FEATURE, List.of())
        .require();
    new Compatibility(extendingMethod, Map.of(), new Opaque(), Map.of(), 1, null, List.of())
        .reasons()
        .forEach(reason -> assertTrue(!reason.contains("ModelExtension"), reason));
    IncompatiblePluginsException error =
        assertThrows(
            IncompatiblePluginsException.class,
            () ->
                new Compatibility(
                        extendingMethod,
                        Map.of(),
                        extendingDynamics,
                        Map.of(),
                        1,
                        FEATURE,
                        List.of())
                    .require());
    assertTrue(error.getMessage().contains("both add parameters"), error.getMessage());
  }

  @Test
  void dynamicsThatCannotBeDifferentiatedThroughAreRefusedByReverseModeOnly() {
    Compatibility reverse =
        new Compatibility(
            new ReverseLike(), Map.of(), new Opaque(), Map.of(), 2, FEATURE, REGISTRY.iterations());
    IncompatiblePluginsException error =
        assertThrows(IncompatiblePluginsException.class, reverse::require);
    assertTrue(error.getMessage().contains("differentiable-steps"), error.getMessage());
    assertTrue(error.getMessage().contains("(it provides nothing)"), error.getMessage());
    assertTrue(
        error
            .getMessage()
            .contains("dynamics that do, with their default options: adam, gd, momentum"),
        error.getMessage());
    for (IterationModuleProvider dynamics : REGISTRY.iterations()) {
      new Compatibility(new ReverseLike(), Map.of(), dynamics, Map.of(), 0, null, List.of())
          .require();
    }
  }

  @Test
  void theLearnerBuilderRefusesAnIllegalCombinationAndBuildsALegalOne() {
    Dataset dataset = mock(Dataset.class);
    when(dataset.inputShape()).thenReturn(new Shape(1));
    when(dataset.outputs()).thenReturn(1);
    when(dataset.taskKind()).thenReturn(TaskKind.REGRESSION);
    DartsLike method = new DartsLike();
    MetaLearnerBuilder builder =
        MetaLearner.builder()
            .dataset(dataset)
            .model(new Mlp(1, List.of(4), 1))
            .family(Family.META_FEATURE)
            .dataType(DataType.FLOAT64)
            .innerSteps(2)
            .hypergradient(method, Map.of());
    IncompatiblePluginsException error =
        assertThrows(
            IncompatiblePluginsException.class, () -> builder.dynamics(MOMENTUM, Map.of()).build());
    assertTrue(
        error.getMessage().contains("'darts-like'")
            && error.getMessage().contains("'momentum'")
            && error.getMessage().contains("gradient-step")
            && error.getMessage().contains(": gd"),
        error.getMessage());
    try (MetaLearner learner = builder.dynamics(GD, Map.of("lr", "0.3")).build()) {
      assertEquals("0.3", method.created.get().get("lr"));
    }
    builder.family(Family.META_INITIALIZATION);
    error = assertThrows(IncompatiblePluginsException.class, builder::build);
    assertTrue(error.getMessage().contains("meta-init"), error.getMessage());
  }
}
