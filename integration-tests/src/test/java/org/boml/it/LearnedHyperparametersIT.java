package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The dynamics' learnable hyperparameters from the command line: {@code boml train
 * --dynamics-option learn-...} saves them with the meta-parameters (named, of the stated shape,
 * moved away from their initial values by training), and {@code boml evaluate} reads the run back.
 */
class LearnedHyperparametersIT {
  @ParameterizedTest(name = "{0} {1} {2}")
  @CsvSource({
    "gd, learn-lr=true, gd.log-lr, -4.605170185988091",
    "momentum, learn-momentum=true, momentum.logit-momentum, 2.1972245773362196",
    "bda, learn-alpha=per-step, bda.alpha, 0.5"
  })
  void trainSavesThemAndEvaluateReadsThemBack(
      String dynamics, String option, String name, double initial, @TempDir Path temp)
      throws IOException {
    Path run = temp.resolve("run");
    CliResult trained =
        BomlCli.run(
            "train",
            "--dataset",
            "sinusoid",
            "--model",
            "mlp",
            "--method",
            "rhg",
            "--dynamics",
            dynamics,
            "--dynamics-option",
            option,
            "--inner-lr",
            "0.01",
            "--inner-steps",
            "3",
            "--iterations",
            "3",
            "--meta-batch",
            "2",
            "--meta-lr",
            "0.01",
            "--eval-episodes",
            "2",
            "--workers",
            "1",
            "--seed",
            "5",
            "--plugins",
            AppLayout.pluginDir().toString(),
            "--out",
            run.toString());
    assertEquals(0, trained.exitCode(), trained.toString());
    double[] learned = tensor(run.resolve("meta-parameters.safetensors"), name);
    assertEquals(name.equals("bda.alpha") ? 3 : 1, learned.length, name);
    // Adam's first step moves every entry by about the meta learning rate
    assertNotEquals(initial, learned[0], 1e-3, name + " was not learned");
    assertEquals(initial, learned[0], 0.1, name + " moved by 3 Adam steps of 0.01 at most");
    CliResult evaluated =
        BomlCli.run("evaluate", "--checkpoint", run.toString(), "--episodes", "2", "--json");
    assertEquals(0, evaluated.exitCode(), evaluated.toString());
  }

  /** One float tensor of a safetensors file, read with its header (no BOML code involved). */
  private static double[] tensor(Path file, String name) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    int headerLength = Math.toIntExact(bytes.getLong(0));
    JsonObject header =
        JsonParser.parseString(new String(bytes.array(), 8, headerLength, StandardCharsets.UTF_8))
            .getAsJsonObject();
    assertTrue(header.has(name), file + " holds " + header.keySet());
    JsonObject entry = header.getAsJsonObject(name);
    JsonArray offsets = entry.getAsJsonArray("data_offsets");
    int start = 8 + headerLength + offsets.get(0).getAsInt();
    int end = 8 + headerLength + offsets.get(1).getAsInt();
    String dtype = entry.get("dtype").getAsString();
    List<Double> values = new ArrayList<>();
    for (int at = start; at < end; at += dtype.equals("F64") ? 8 : 4) {
      values.add(dtype.equals("F64") ? bytes.getDouble(at) : bytes.getFloat(at));
    }
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
