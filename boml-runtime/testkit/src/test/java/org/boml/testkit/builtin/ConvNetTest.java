package org.boml.testkit.builtin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.Random;
import org.boml.api.Variables;
import org.boml.plugins.standardmodels.ConvNet;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.runtime.problem.Losses;
import org.junit.jupiter.api.Test;

/**
 * The Conv-4 network computes max-pool before ReLU, and convolves large batches in parts; both must
 * equal the textbook network (ReLU, then max-pool, whole batches) in value, gradient and second
 * derivatives.
 */
class ConvNetTest {
  private static final TorchDifferentiator D = TorchDifferentiator.get();
  private static final Shape ONE = new Shape(1, 1);
  private static final Shape TWO = new Shape(2, 2);

  /** The block order of the reference workload, written out: conv, batch norm, ReLU, max-pool. */
  private static NDArray reference(Variables p, NDArray input, int blocks) {
    NDArray h = input;
    for (int b = 0; b < blocks; b++) {
      h =
          Conv2d.conv2d(
                  h,
                  p.get("conv" + b + ".weight"),
                  p.get("conv" + b + ".bias"),
                  new Shape(1, 1),
                  new Shape(1, 1),
                  new Shape(1, 1),
                  1)
              .singletonOrThrow();
      long c = h.getShape().get(1);
      h =
          BatchNorm.batchNorm(
                  h,
                  input.getManager().zeros(new Shape(c), h.getDataType()),
                  input.getManager().ones(new Shape(c), h.getDataType()),
                  p.get("bn" + b + ".gamma"),
                  p.get("bn" + b + ".beta"),
                  -1,
                  0.9f,
                  1e-5f,
                  true)
              .singletonOrThrow();
      h = Pool.maxPool2d(Activation.relu(h), TWO, TWO, new Shape(0, 0), false);
    }
    h = h.reshape(h.getShape().get(0), -1);
    return Linear.linear(h, p.get("head.weight"), p.get("head.bias")).singletonOrThrow();
  }

  @Test
  void poolBeforeReluEqualsReluBeforePoolToSecondOrder() {
    assertMatchesReferenceToSecondOrder(new ConvNet(new Shape(1, 12, 12), 3, 4, false, 3, 0));
  }

  @Test
  void convolvingInPartsEqualsTheWholeBatchToSecondOrder() {
    // 10,368 bytes of float64 im2col per 12x12 image in the first block and per 6x6 image of 4
    // channels in the second: 15,000 bytes split the six images into parts of 1, 1, 1, 1 and 2;
    // the third block's 2,592 bytes per 3x3 image into two parts of 3.
    long limit = 15_000;
    assertEquals(5, ConvNet.parts(new Shape(6, 1, 12, 12), ONE, 8, limit));
    assertEquals(5, ConvNet.parts(new Shape(6, 4, 6, 6), ONE, 8, limit));
    assertEquals(2, ConvNet.parts(new Shape(6, 4, 3, 3), ONE, 8, limit));
    assertMatchesReferenceToSecondOrder(new ConvNet(new Shape(1, 12, 12), 3, 4, false, 3, limit));
  }

  @Test
  void partsAreTheFewestWithinTheLimit() {
    long limit = ConvNet.DEFAULT_IM2COL_BYTES;
    // Omniglot's 75 query images in the second block: 64 x 9 x 14 x 14 float32 values each,
    // 33.9 MB together, so three parts of 25 images, 11.3 MB each.
    assertEquals(3, ConvNet.parts(new Shape(75, 64, 14, 14), ONE, 4, limit));
    // the third block's 8.5 MB and the five support images stay whole
    assertEquals(1, ConvNet.parts(new Shape(75, 64, 7, 7), ONE, 4, limit));
    assertEquals(1, ConvNet.parts(new Shape(5, 64, 14, 14), ONE, 4, limit));
    // a stride of 2 unfolds a quarter of the pixels: 8.5 MB
    assertEquals(1, ConvNet.parts(new Shape(75, 64, 14, 14), new Shape(2, 2), 4, limit));
    assertEquals(1, ConvNet.parts(new Shape(75, 64, 14, 14), ONE, 4, 0));
    assertEquals(75, ConvNet.parts(new Shape(75, 64, 14, 14), ONE, 4, 1));
  }

  private static void assertMatchesReferenceToSecondOrder(ConvNet net) {
    try (NDManager manager = NDManager.newBaseManager()) {
      Variables params = net.initialize(manager, DataType.FLOAT64, 7).map(D::leaf);
      Random random = new Random(3);
      double[] pixels = new double[6 * 144];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = random.nextGaussian();
      }
      NDArray input = manager.create(pixels, new Shape(6, 1, 12, 12));
      NDArray labels = manager.create(new long[] {0, 1, 2, 0, 1, 2});

      NDArray ours =
          Losses.loss(
              org.boml.api.TaskKind.CLASSIFICATION, net.forward(params, input, true), labels);
      NDArray theirs =
          Losses.loss(org.boml.api.TaskKind.CLASSIFICATION, reference(params, input, 3), labels);
      assertEquals(theirs.getDouble(), ours.getDouble(), 1e-12);

      List<NDArray> g1 = D.gradient(ours, params.values(), true);
      List<NDArray> g2 = D.gradient(theirs, params.values(), true);
      // a directional second derivative: d/dp <grad, v> for a fixed random v
      NDArray dot1 = manager.zeros(new Shape(), DataType.FLOAT64);
      NDArray dot2 = manager.zeros(new Shape(), DataType.FLOAT64);
      for (int i = 0; i < g1.size(); i++) {
        double gap = g1.get(i).sub(g2.get(i)).abs().max().getDouble();
        assertTrue(gap < 1e-10, "gradient of " + params.names().get(i) + " differs by " + gap);
        NDArray v = manager.randomNormal(g1.get(i).getShape(), DataType.FLOAT64);
        dot1 = dot1.add(g1.get(i).mul(v).sum());
        dot2 = dot2.add(g2.get(i).mul(v).sum());
      }
      assertTrue(Math.abs(dot1.getDouble()) > 1e-6, "the test direction sees the gradient");
      List<NDArray> h1 = D.gradient(dot1, params.values(), false);
      List<NDArray> h2 = D.gradient(dot2, params.values(), false);
      for (int i = 0; i < h1.size(); i++) {
        double gap = h1.get(i).sub(h2.get(i)).abs().max().getDouble();
        double size = h2.get(i).abs().max().getDouble();
        assertTrue(
            gap <= 1e-10 * Math.max(1, size),
            "Hessian-vector product of " + params.names().get(i) + " differs by " + gap);
      }
    }
  }
}
