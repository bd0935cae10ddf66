package org.boml.runtime.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.boml.runtime.run.RunSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The audit of {@code train}'s options against {@code config.json}: every option that can change
 * what a run learns or reports is saved in the run's configuration (so {@code --resume} and {@code
 * evaluate} use it), and the others are listed with the reason they need not be. A new option fails
 * this test until it is put in one list or the other.
 */
class TrainOptionsSavedTest {
  /** Option to the RunSpec field that holds it. */
  private static final Map<String, String> SAVED =
      Map.ofEntries(
          Map.entry("--dataset", "dataset"),
          Map.entry("--data-dir", "datasetOptions"),
          Map.entry("--download", "datasetOptions"),
          Map.entry("--ways", "datasetOptions"),
          Map.entry("--shots", "datasetOptions"),
          Map.entry("--queries", "datasetOptions"),
          Map.entry("--dataset-option", "datasetOptions"),
          Map.entry("--model", "model"),
          Map.entry("--model-option", "modelOptions"),
          Map.entry("--method", "hypergradient"),
          Map.entry("--method-option", "hypergradientOptions"),
          Map.entry("--dynamics", "dynamics"),
          Map.entry("--dynamics-option", "dynamicsOptions"),
          Map.entry("--inner-lr", "dynamicsOptions"),
          Map.entry("--family", "family"),
          Map.entry("--inner-steps", "innerSteps"),
          Map.entry("--meta-batch", "metaBatch"),
          Map.entry("--optimizer", "optimizer"),
          Map.entry("--meta-lr", "metaLearningRate"),
          Map.entry("--momentum", "momentum"),
          Map.entry("--lr-decay", "learningRateDecay"),
          Map.entry("--lr-decay-every", "learningRateDecayEvery"),
          Map.entry("--clip-norm", "clipNorm"),
          Map.entry("--skip-bad-tasks", "skipBadTasks"),
          Map.entry("--iterations", "iterations"),
          Map.entry("--validate-every", "validateEvery"),
          Map.entry("--validation-episodes", "validationEpisodes"),
          Map.entry("--seed", "seed"),
          Map.entry("--dtype", "dtype"),
          Map.entry("--eval-episodes", "evalEpisodes"),
          Map.entry("--checkpoint-every", "checkpointEvery"),
          Map.entry("--workers", "workers"),
          Map.entry("--upper-passes", "upperPasses"),
          Map.entry("--devices", "devices"));

  /** Options that choose where and how to run, not what a run computes. */
  private static final Set<String> NOT_SAVED =
      Set.of(
          "--out", // the run directory itself
          "--resume", // the run directory itself
          "--overwrite", // whether to replace a run, before it starts
          "--config", // expanded into the other options before parsing
          "--json", // the output's format
          "--help",
          "--version");

  @Test
  void everyOptionThatChangesTheResultIsSavedInTheConfiguration() {
    Set<String> options =
        new CommandLine(new TrainCommand())
            .getCommandSpec().options().stream()
                .map(CommandLine.Model.OptionSpec::longestName)
                .collect(Collectors.toCollection(TreeSet::new));
    Set<String> classified = new TreeSet<>(SAVED.keySet());
    classified.addAll(NOT_SAVED);
    assertEquals(classified, options, "put every train option in SAVED or NOT_SAVED");
    Set<String> fields =
        Arrays.stream(RunSpec.class.getFields()).map(f -> f.getName()).collect(Collectors.toSet());
    for (Map.Entry<String, String> saved : SAVED.entrySet()) {
      assertTrue(fields.contains(saved.getValue()), saved + " names no RunSpec field");
    }
  }
}
