package org.boml.runtime.cli.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.boml.runtime.run.JsonOutput;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** {@code -O}/{@code --method-option KEY=VALUE}: parsing, order, repetition and refusals. */
class MethodOptionsTest {
  private static MethodOptions parsed(String... args) {
    MethodOptions options = new MethodOptions();
    new CommandLine(CommandSpec.forAnnotatedObject(options)).parseArgs(args);
    return options;
  }

  @Test
  void noneAreGivenByDefault() {
    assertEquals(Map.of(), parsed().options());
  }

  @Test
  void bothNamesAddPairsInTheOrderGivenAndARepeatedKeyKeepsItsLastValue() {
    Map<String, String> options =
        parsed("-O", "truncation=25", "--method-option", "strategy=replay", "-O", "truncation=5")
            .options();
    assertEquals(Map.of("truncation", "5", "strategy", "replay"), options);
    assertEquals(List.of("truncation", "strategy"), List.copyOf(options.keySet()));
  }

  @Test
  void aValueMayHoldAnEqualsSign() {
    assertEquals(Map.of("expression", "a=b"), parsed("-O", "expression=a=b").options());
  }

  @Test
  void theOptionsCannotBeChangedThroughTheView() {
    Map<String, String> options = parsed("-O", "k=v").options();
    assertThrows(UnsupportedOperationException.class, () -> options.put("other", "1"));
  }

  @Test
  void theOptionsAreWrittenToARunDirectoryAsAJsonObject() {
    assertEquals(
        "{\"methodOptions\":{\"truncation\":\"25\",\"strategy\":\"replay\"}}",
        JsonOutput.compact(
            Map.of(
                "methodOptions",
                parsed("-O", "truncation=25", "-O", "strategy=replay").options())));
  }

  @Test
  void aPairWithoutEqualsSignIsRefused() {
    CommandLine.ParameterException error =
        assertThrows(CommandLine.ParameterException.class, () -> parsed("-O", "truncation"));
    assertTrue(error.getMessage().contains("KEY=VALUE"), error.getMessage());
  }
}
