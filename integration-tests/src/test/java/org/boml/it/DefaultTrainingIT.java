package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The embedded default, {@code boml train} with no arguments: MAML on 10-shot sinusoid, one inner
 * step of lr 0.01, meta-batch 25, Adam 1e-3. After it, the mean post-adaptation MSE over 600
 * held-out tasks must be at most 0.6 and at most a third of the pre-adaptation MSE.
 */
class DefaultTrainingIT {
  @Test
  void theDefaultRunMeetsTheBar() {
    CliResult result = BomlCli.run(1200, Map.of(), "train", "--json");
    assertEquals(0, result.exitCode(), result.toString());
    JsonObject json = result.json();
    assertEquals(600, json.get("episodes").getAsInt(), result.toString());
    assertEquals("mse", json.get("metric").getAsString());
    double before = json.getAsJsonObject("before").get("mean").getAsDouble();
    double after = json.getAsJsonObject("after").get("mean").getAsDouble();
    assertTrue(after <= 0.6, "post-adaptation MSE " + after + result);
    assertTrue(after <= before / 3, "post " + after + " vs pre " + before + result);
  }
}
