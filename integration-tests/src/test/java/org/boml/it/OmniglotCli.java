package org.boml.it;

import java.nio.file.Path;

/** Command lines that train briefly on the real Omniglot data (skipped where it is absent). */
final class OmniglotCli {
  private OmniglotCli() {}

  /**
   * The arguments of a short {@code train} on Omniglot's peer split with a small conv net, saved in
   * a run directory; later arguments override these (picocli keeps the last value).
   */
  static String[] train(Path run, String... extra) {
    String[] common = {
      "train",
      "--dataset",
      "omniglot",
      "--data-dir",
      OmniglotTrainingIT.omniglot().toString(),
      "--dataset-option",
      "split=peer",
      "--model-option",
      "filters=16",
      "--inner-steps",
      "1",
      "--inner-lr",
      "0.4",
      "--meta-batch",
      "2",
      "--iterations",
      "5",
      "--eval-episodes",
      "30",
      "--json",
      "--out",
      run.toString()
    };
    String[] all = new String[common.length + extra.length];
    System.arraycopy(common, 0, all, 0, common.length);
    System.arraycopy(extra, 0, all, common.length, extra.length);
    return all;
  }
}
