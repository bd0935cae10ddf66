package org.boml.plugins.mtnet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boml.api.Differentiator;
import org.boml.api.IterationModule;
import org.boml.api.ModelExtension;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.plugins.standardmodels.ConvNet;
import org.boml.plugins.standardmodels.Mlp;
import org.boml.runtime.problem.Family;
import org.boml.runtime.train.MetaLearner;
import org.boml.testkit.CheckProblems;
import org.boml.testkit.CheckTasks;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.TestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** MT-net and T-net in float64: the transform, the masked step, exact meta-gradients, training. */
class MtNetTest {
  private static final Differentiator D = TestKit.differentiator();
  private final MtNetProvider provider = new MtNetProvider();

  private Options options(boolean masks) {
    return Options.forProvider(
        Map.of("masks", Boolean.toString(masks), "lr", "0.05", "mask-init", "0.3"), provider);
  }

  private Optional<ModelExtension> extension(boolean masks) {
    return provider.modelExtension(options(masks));
  }

  @Test
  void addsTransformsAndMaskLogitsOfAdaptedLayersOnly() {
    ModelExtension transforms = extension(true).orElseThrow();
    Mlp mlp = new Mlp(1, List.of(4, 5), 2);
    assertEquals(
        List.of(
            "mtnet.T/layer0",
            "mtnet.zeta/layer0",
            "mtnet.T/layer1",
            "mtnet.zeta/layer1",
            "mtnet.T/head",
            "mtnet.zeta/head"),
        names(transforms, mlp, java.util.Set.of("layer0.weight", "layer1.bias", "head.weight")));
    assertEquals(
        List.of("mtnet.T/head", "mtnet.zeta/head"),
        names(transforms, mlp, java.util.Set.of("head.weight", "head.bias")));
    assertEquals(
        new Shape(5, 5),
        transforms.parameters(mlp, java.util.Set.of("layer1.weight")).get(0).shape());
  }

  private static List<String> names(
      ModelExtension extension, Mlp mlp, java.util.Set<String> adapted) {
    return extension.parameters(mlp, adapted).stream().map(p -> p.name()).toList();
  }

  /** T after a linear layer equals the layer with weight T W and bias T b. */
  @ParameterizedTest
  @ValueSource(strings = {"mlp", "convnet"})
  void theTransformMultipliesTheLayersOutputUnits(String network) {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          network.equals("mlp")
              ? CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 1, extension(false))
              : CheckProblems.tinyConvNet(manager, Family.META_INITIALIZATION, 1, extension(false));
      Variables x = CheckProblems.jitter(instance.x(), n -> n.startsWith(Transforms.T), 0.3, 1);
      String layer = network.equals("mlp") ? "layer0" : "conv0";
      NDArray t = x.get(Transforms.T + layer);
      NDArray weight = x.get(layer + ".weight");
      long units = weight.getShape().get(0);
      NDArray folded = t.matMul(weight.reshape(units, -1)).reshape(weight.getShape()).duplicate();
      NDArray foldedBias = t.matMul(x.get(layer + ".bias").reshape(units, 1)).reshape(units);
      Variables onlyThis = x.select(name -> !name.startsWith(Transforms.T) || name.endsWith(layer));
      Variables withoutT =
          Variables.of(
              x.names().stream().filter(n -> !n.startsWith(Transforms.T)).toList(),
              x.names().stream()
                  .filter(n -> !n.startsWith(Transforms.T))
                  .map(
                      n ->
                          n.equals(layer + ".weight")
                              ? folded
                              : n.equals(layer + ".bias") ? foldedBias : x.get(n))
                  .toList());
      org.boml.api.Model model =
          network.equals("mlp")
              ? new Mlp(1, List.of(16, 16), 1)
              : new ConvNet(new Shape(1, 6, 6), 2, 3, false, 3);
      NDArray input =
          network.equals("mlp")
              ? manager.create(new double[] {-1, 0.5, 2}, new Shape(3, 1))
              : manager.randomUniform(0, 1, new Shape(4, 1, 6, 6), DataType.FLOAT64);
      NDArray hooked =
          model.forward(onlyThis, input, true, extension(false).orElseThrow().hook(onlyThis, true));
      NDArray plain = model.forward(withoutT, input, true);
      assertEquals(0, maxAbs(hooked.sub(plain)), 1e-10);
      assertTrue(maxAbs(hooked.sub(model.forward(x, input, true))) > 1e-3, "T had no effect");
    }
  }

  @Test
  void theMaskedStepUpdatesOnlyTheSelectedRows() {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 2, extension(true));
      IterationModule dynamics = provider.create(options(true));
      Variables y0 = dynamics.initialize(instance.x(), instance.problem(), D);
      Variables y1 = dynamics.step(0, instance.x(), y0, instance.problem(), D, false);
      Variables leaves = y0.map(D::leaf);
      Variables gradient =
          D.gradient(
              instance.problem().lowerObjective(0, instance.x(), leaves),
              leaves.select(n -> !n.startsWith(MaskedDescent.MASK)),
              false);
      double[] mask = y0.get(MaskedDescent.MASK + "layer1").toDoubleArray();
      assertTrue(mask.length == 16);
      NDArray before = y0.get("layer1.weight");
      NDArray after = y1.get("layer1.weight");
      int frozenWithGradient = 0;
      for (int row = 0; row < mask.length; row++) {
        if (mask[row] == 0) {
          assertEquals(0, maxAbs(after.get(row).sub(before.get(row))), 0, "row " + row);
          if (maxAbs(gradient.get("layer1.weight").get(row)) > 0) {
            frozenWithGradient++;
          }
        }
      }
      assertTrue(frozenWithGradient > 0, "no unselected row with a gradient: the test is vacuous");
      assertEquals(
          0,
          maxAbs(
              y1.get("layer1.weight")
                  .sub(
                      before.sub(
                          gradient
                              .get("layer1.weight")
                              .mul(manager.create(mask).reshape(16, 1))
                              .mul(manager.create(0.05))))),
          1e-12);
    }
  }

  /** T-net: every meta-parameter; MT-net: every one but the mask logits, the masks held fixed. */
  @ParameterizedTest(name = "{0}, masks={1}")
  @CsvSource({"mlp, false", "mlp, true", "convnet, false", "convnet, true"})
  void metaGradientMatchesFiniteDifferences(String network, boolean masks) {
    TestKit.startEngine();
    try (NDManager manager = NDManager.newBaseManager()) {
      CheckProblems.Instance instance =
          network.equals("mlp")
              ? CheckProblems.sinusoidMlp(manager, Family.META_INITIALIZATION, 3, extension(masks))
              : CheckProblems.tinyConvNet(manager, Family.META_INITIALIZATION, 3, extension(masks));
      Variables x = CheckProblems.jitter(instance.x(), n -> n.startsWith(Transforms.T), 0.3, 3);
      IterationModule dynamics = provider.create(options(masks));
      int steps = 2;
      Variables gradient =
          HypergradientCheck.unrolledHypergradient(instance.problem(), dynamics, x, steps, D);
      Variables logits = x.select(n -> n.startsWith(Transforms.ZETA));
      Variables exact = gradient.select(n -> !logits.contains(n));
      if (masks) {
        assertTrue(maxAbs(gradient.get(Transforms.ZETA + "head")) > 0, "no mask-logit gradient");
      }
      double worst =
          HypergradientCheck.worstAgainstUnrolled(
              instance.problem(), dynamics, x.select(exact::contains), logits, exact, steps, D, 7);
      assertTrue(worst < 1e-6, "relative error " + worst);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"mlp", "convnet", "resnet"})
  void trainsEveryModel(String network) {
    try (MetaLearner learner =
        CheckTasks.learner(network)
            .dynamics(provider, Map.of("lr", "0.05"))
            .hypergradient("unrolled", HypergradientCheck.unrolled())
            .build()) {
      assertTrue(CheckTasks.trainedChange(learner, Transforms.ZETA + "head", 3) > 0);
      assertTrue(
          Double.isFinite(
              learner.evaluate(org.boml.api.MetaSplit.TEST, 2, 1).afterAdaptation().mean()));
    }
  }

  private static double maxAbs(NDArray array) {
    return array.abs().max().toType(DataType.FLOAT64, false).getDouble();
  }
}
