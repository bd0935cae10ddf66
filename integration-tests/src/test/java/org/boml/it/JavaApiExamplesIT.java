package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of docs/java-api.md compile as written, and the hyperparameter search runs (with the
 * fhg plugin's jar): its validation loss falls.
 */
class JavaApiExamplesIT {
  private static final Pattern CLASS = Pattern.compile("public class (\\w+)");
  private static final Pattern LOSS = Pattern.compile("validation loss (\\d+\\.\\d+)");

  @Test
  void theExamplesCompileAndTheHyperparameterSearchLowersTheValidationLoss(@TempDir Path temp)
      throws Exception {
    Map<String, String> sources = new LinkedHashMap<>();
    for (String block : JavaExamples.blocks("docs/java-api.md")) {
      Matcher name = CLASS.matcher(block);
      assertTrue(name.find(), "every example is a complete public class:\n" + block);
      sources.put(name.group(1), block);
    }
    assertEquals(
        List.of("HyperparameterSearch", "FewShotOmniglot", "ListPlugins", "EvaluateRun"),
        List.copyOf(sources.keySet()));
    Path compiled = JavaExamples.compile(temp, sources);
    CliResult search =
        BomlCli.runModule(
            List.of(compiled, ReactorPlugins.jar("fhg")),
            JavaExamples.MODULE + "/org.example.HyperparameterSearch",
            120,
            Map.of());
    assertEquals(0, search.exitCode(), search.toString());
    Matcher losses = LOSS.matcher(search.stdout());
    double first = Double.NaN;
    double last = Double.NaN;
    while (losses.find()) {
      last = Double.parseDouble(losses.group(1));
      first = Double.isNaN(first) ? last : first;
    }
    assertTrue(last < 0.8 * first, "the validation loss should fall:\n" + search);
    assertTrue(search.stdout().contains("weight decay"), search.toString());
  }
}
