package org.boml.runtime.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.boml.engine.pytorch.PyTorchComputeEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Derivatives of closed-form functions, in float64, against their known values. */
class TorchDifferentiatorTest {
  private final TorchDifferentiator d = TorchDifferentiator.get();
  private NDManager manager;

  @BeforeEach
  void open() {
    manager = NDManager.newBaseManager();
  }

  @AfterEach
  void close() {
    manager.close();
  }

  private NDArray leaf(double... values) {
    return d.leaf(manager.create(values));
  }

  /** f(a) = sum(a^3): gradient 3 a^2, Hessian diag(6 a). */
  @Test
  void gradientAndHessianVectorProductOfCubicAreExact() {
    NDArray a = leaf(1.5, -2.0, 0.25);
    NDArray f = a.mul(a).mul(a).sum();
    NDArray g = d.gradient(f, List.of(a), true).get(0);
    assertArrayEquals(new double[] {6.75, 12.0, 0.1875}, g.toDoubleArray(), 1e-12);
    NDArray v = manager.create(new double[] {1, 2, -3});
    NDArray hv = d.vjp(List.of(g), List.of(v), List.of(a), false).get(0);
    assertArrayEquals(new double[] {9.0, -24.0, -4.5}, hv.toDoubleArray(), 1e-12);
    assertFalse(d.requiresGradient(List.of(hv)).get(0), "no graph was asked for");
    assertTrue(d.requiresGradient(List.of(g)).get(0), "a graph was asked for");
  }

  /** Mixed second derivative of f(a, b) = sum(a^2 * b) w.r.t. b then a: 2 a * v. */
  @Test
  void mixedSecondDerivativeIsExact() {
    NDArray a = leaf(1, 2);
    NDArray b = leaf(3, -1);
    NDArray f = a.mul(a).mul(b).sum();
    NDArray gb = d.gradient(f, List.of(b), true).get(0);
    NDArray v = manager.create(new double[] {0.5, 4});
    NDArray mixed = d.vjp(List.of(gb), List.of(v), List.of(a), false).get(0);
    assertArrayEquals(new double[] {1.0, 16.0}, mixed.toDoubleArray(), 1e-12);
  }

  /**
   * f(a) = sum(sin(a)^2): gradient sin(2 a). finalGradient gives gradient's values, and it frees
   * what the graph saved (sin(a), 64 MB) while f stays open, where gradient keeps it until f
   * closes.
   */
  @Test
  void finalGradientGivesTheSameValuesAndFreesTheSavedArraysAtOnce() {
    int n = 8_000_000;
    NDArray a = d.leaf(manager.linspace(-3.0f, 3.0f, n).toType(DataType.FLOAT64, false));
    double[] expected = Arrays.stream(a.toDoubleArray()).map(v -> Math.sin(2 * v)).toArray();

    NDArray kept = sumOfSquaredSines(a);
    long beforeKept = bytesInUse();
    NDArray keptGradient = d.gradient(kept, List.of(a), false).get(0);
    long keptGrowth = bytesInUse() - beforeKept;

    NDArray released = sumOfSquaredSines(a);
    long beforeReleased = bytesInUse();
    NDArray finalGradient = d.finalGradient(released, List.of(a)).get(0);
    long releasedGrowth = bytesInUse() - beforeReleased;

    assertArrayEquals(keptGradient.toDoubleArray(), finalGradient.toDoubleArray(), 0.0);
    assertArrayEquals(expected, finalGradient.toDoubleArray(), 1e-12);
    long array = 8L * n;
    // both keep their 64 MB result; gradient also keeps sin(a), finalGradient frees it
    assertTrue(keptGrowth > array / 2, "gradient() grew " + keptGrowth + " bytes");
    assertTrue(releasedGrowth < array / 2, "finalGradient() grew " + releasedGrowth + " bytes");
    assertThrows(
        RuntimeException.class,
        () -> d.gradient(released, List.of(a), false),
        "the released graph cannot be differentiated again");
    assertEquals(1, d.gradient(kept, List.of(a), false).size(), "the kept graph can be used again");
  }

  /** sum(sin(a)^2), with the forward pass's own handles closed: only the graph holds sin(a). */
  private static NDArray sumOfSquaredSines(NDArray a) {
    NDArray f;
    try (NDScope scope = new NDScope()) {
      NDArray sine = a.sin();
      f = sine.mul(sine).sum();
      NDScope.unregister(f);
    }
    return f;
  }

  private static long bytesInUse() {
    OptionalLong bytes = new PyTorchComputeEngine().nativeBytesInUse();
    assumeTrue(bytes.isPresent(), "the allocator does not report its bytes in use");
    return bytes.getAsLong();
  }

  @Test
  void differentiatesWithRespectToNonLeafArraysAndUnusedInputsGetZeros() {
    NDArray a = leaf(2, 3);
    NDArray hidden = a.mul(a); // non-leaf
    NDArray unused = leaf(7);
    NDArray f = hidden.sum().mul(hidden.sum());
    List<NDArray> grads = d.gradient(f, List.of(hidden, unused), false);
    assertArrayEquals(new double[] {26, 26}, grads.get(0).toDoubleArray(), 1e-12);
    assertArrayEquals(new double[] {0}, grads.get(1).toDoubleArray(), 0);
  }

  @Test
  void constantOutputsContributeNothing() {
    NDArray a = leaf(1, 2);
    NDArray constant = manager.zeros(new Shape(2), DataType.FLOAT64);
    NDArray seed = manager.ones(new Shape(2), DataType.FLOAT64);
    NDArray result = d.vjp(List.of(constant), List.of(seed), List.of(a), false).get(0);
    assertArrayEquals(new double[] {0, 0}, result.toDoubleArray(), 0);
  }

  @Test
  void rejectsArraysOutsideTheGraphAndMismatchedCotangents() {
    NDArray a = leaf(1, 2);
    NDArray plain = manager.create(new double[] {1, 2});
    NDArray f = a.sum();
    IllegalArgumentException outside =
        assertThrows(IllegalArgumentException.class, () -> d.gradient(f, List.of(plain), false));
    assertTrue(outside.getMessage().contains("track()"), outside.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> d.vjp(List.of(a), List.of(manager.create(new double[] {1})), List.of(a), false));
    assertThrows(IllegalArgumentException.class, () -> d.gradient(a, List.of(a), false));
  }

  @Test
  void trackKeepsGraphArraysAndLeafDetaches() {
    NDArray a = leaf(1);
    assertTrue(a == d.track(a));
    NDArray plain = manager.create(new double[] {1});
    NDArray tracked = d.track(plain);
    assertEquals(List.of(true, false), d.requiresGradient(List.of(tracked, plain)));
    NDArray nonLeaf = a.mul(a);
    assertTrue(nonLeaf == d.track(nonLeaf), "a non-leaf in the graph is kept as it is");
  }

  @Test
  void constantIsGraphSafeAndOfTheRequestedType() {
    NDArray c = d.constant(manager, 0.1, DataType.FLOAT64);
    assertEquals(DataType.FLOAT64, c.getDataType());
    assertEquals(0.1, c.getDouble(), 0);
    NDArray a = leaf(2);
    NDArray f = a.mul(c).sum();
    System.gc();
    assertEquals(0.1, d.gradient(f, List.of(a), false).get(0).getDouble(0), 0);
  }

  /**
   * The same second-order computation on many threads gives the same bits as on one, and the right
   * numbers: the Hessian of sum(a sin a) is diag(2 cos a - a sin a).
   */
  @Test
  void concurrentCallsAreSafeAndDeterministic() throws Exception {
    double[] expected = hvpOnFreshManager(0);
    for (int i = 0; i < expected.length; i++) {
      double a = i / 10.0;
      assertEquals(2 * Math.cos(a) - a * Math.sin(a), expected[i], 1e-12);
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<double[]>> futures = new ArrayList<>();
      for (int i = 0; i < 64; i++) {
        futures.add(pool.submit(() -> hvpOnFreshManager(0)));
      }
      for (Future<double[]> future : futures) {
        assertArrayEquals(expected, future.get(), 0);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private double[] hvpOnFreshManager(int unused) {
    try (NDManager local = NDManager.newBaseManager()) {
      NDArray a = d.leaf(local.arange(0, 50, 1, DataType.FLOAT64).div(10));
      NDArray f = a.sin().mul(a).sum();
      NDArray g = d.gradient(f, List.of(a), true).get(0);
      NDArray v = local.ones(new Shape(50), DataType.FLOAT64);
      return d.vjp(List.of(g), List.of(v), List.of(a), false).get(0).toDoubleArray();
    }
  }
}
