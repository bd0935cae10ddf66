package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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
    Map<String, double[]> saved = SavedTensors.read(run.resolve("meta-parameters.safetensors"));
    assertTrue(saved.containsKey(name), "the run saved " + saved.keySet());
    double[] learned = saved.get(name);
    assertEquals(name.equals("bda.alpha") ? 3 : 1, learned.length, name);
    // Adam's first step moves every entry by about the meta learning rate
    assertNotEquals(initial, learned[0], 1e-3, name + " was not learned");
    assertEquals(initial, learned[0], 0.1, name + " moved by 3 Adam steps of 0.01 at most");
    CliResult evaluated =
        BomlCli.run("evaluate", "--checkpoint", run.toString(), "--episodes", "2", "--json");
    assertEquals(0, evaluated.exitCode(), evaluated.toString());
  }
}
