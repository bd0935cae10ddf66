package org.boml.runtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.boml.api.ParameterSpec;
import org.boml.plugins.standardmodels.ConvNet;
import org.junit.jupiter.api.Test;

class FlopCountTest {
  private static final ConvNet CONV4 = new ConvNet(new Shape(1, 28, 28), 4, 64, false, 5);

  @Test
  void forwardCostOfOneImageIsTheSumOfTheLayers() {
    // conv0 2*1*64*9*28^2, conv1 2*64*64*9*14^2, conv2 ... 7^2, conv3 ... 3^2, head 2*64*5
    long expected = 903_168L + 14_450_688L + 3_612_672L + 663_552L + 640L;
    assertEquals(expected, FlopCount.forwardPerImage(new Shape(1, 28, 28), CONV4.parameterSpecs()));
  }

  /**
   * The peer's analytic counts for T = 5 ({@code maml_torch.py}'s {@code analytic_flops}, README:
   * 35.34 GFLOP second order, 23.56 GFLOP first order).
   */
  @Test
  void metaIterationMatchesThePeersAnalyticCount() {
    long perImage = FlopCount.forwardPerImage(new Shape(1, 28, 28), CONV4.parameterSpecs());
    assertEquals(35_335_296_000L, FlopCount.metaIteration(perImage, 5, 75, 5, true, 4));
    assertEquals(23_556_864_000L, FlopCount.metaIteration(perImage, 5, 75, 5, false, 4));
    assertEquals(
        FlopCount.metaIteration(perImage, 5, 75, 0, true, 4),
        FlopCount.metaIteration(perImage, 5, 75, 0, false, 4),
        "without inner steps both orders are the query forward and backward");
  }

  @Test
  void refusesANetworkWithoutAHead() {
    List<ParameterSpec> specs = List.of(CONV4.parameterSpecs().get(0));
    assertThrows(
        IllegalArgumentException.class,
        () -> FlopCount.forwardPerImage(new Shape(1, 28, 28), specs));
  }
}
