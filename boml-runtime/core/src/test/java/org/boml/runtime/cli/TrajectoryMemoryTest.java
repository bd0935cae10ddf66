package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.boml.api.Options;
import org.boml.api.ParameterSpec;
import org.boml.runtime.model.MlpProvider;
import org.boml.runtime.problem.Family;
import org.junit.jupiter.api.Test;

/** The lower bound on an inner loop's memory, and when train warns about it. */
class TrajectoryMemoryTest {
  private static final List<ParameterSpec> PARAMETERS =
      List.of(
          new ParameterSpec("body.weight", new Shape(40, 1), ParameterSpec.FEATURES),
          new ParameterSpec("head.weight", new Shape(1, 40), ParameterSpec.HEAD),
          new ParameterSpec("head.bias", new Shape(1), ParameterSpec.HEAD));

  @Test
  void theIterateIsWhatTheFamilyAdapts() {
    assertEquals(81 * 4, TrajectoryMemory.iterateBytes(PARAMETERS, Family.META_INITIALIZATION, 4));
    assertEquals(41 * 8, TrajectoryMemory.iterateBytes(PARAMETERS, Family.META_FEATURE, 8));
  }

  /**
   * The sinusoid MLP (1761 float32 parameters) with 100,000 inner steps on two workers keeps at
   * least 1.3 GiB of iterates: a warning on a machine with 2 GiB available, none with 4 GiB.
   */
  @Test
  void aLongInnerLoopIsWarnedAboutWithTheNumbersAndTheReplayStrategy() {
    List<ParameterSpec> mlp =
        new MlpProvider()
            .create(
                new org.boml.api.ModelSpec(
                    new Shape(1), 1, Options.forProvider(Map.of(), new MlpProvider())))
            .parameterSpecs();
    long iterate = TrajectoryMemory.iterateBytes(mlp, Family.META_INITIALIZATION, 4);
    assertEquals(1761 * 4, iterate);
    Optional<String> warning = TrajectoryMemory.warning(100_000, 2, iterate, 2L << 30);
    assertTrue(warning.isPresent());
    assertTrue(
        warning.get().startsWith("--inner-steps 100000 keeps at least 1.3 GiB"), warning.get());
    assertTrue(warning.get().contains("6.9 KiB each, for 2 task(s) at once"), warning.get());
    assertTrue(warning.get().contains("2.0 GiB of memory is available"), warning.get());
    assertTrue(warning.get().contains("--method-option strategy=replay"), warning.get());
    assertEquals(Optional.empty(), TrajectoryMemory.warning(100_000, 2, iterate, 4L << 30));
    assertEquals(Optional.empty(), TrajectoryMemory.warning(5, 2, iterate, 2L << 30));
    assertEquals(Optional.empty(), TrajectoryMemory.warning(100_000, 2, iterate, 0), "unknown");
  }

  @Test
  void theAvailableMemoryIsReadOnLinux() {
    long available = TrajectoryMemory.availableBytes();
    assertTrue(
        available > 0 && available < Runtime.getRuntime().maxMemory() * 1024, "" + available);
  }
}
