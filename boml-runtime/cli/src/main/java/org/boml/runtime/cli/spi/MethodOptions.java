package org.boml.runtime.cli.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The {@code -O}/{@code --method-option KEY=VALUE} option of a {@link Subcommand} that runs one
 * hypergradient plugin: the plugin's options, repeatable, in the order given (a key given twice
 * keeps its last value). A subcommand declares it as a picocli {@link Mixin} field, {@code @Mixin
 * MethodOptions methodOptions = new MethodOptions();}, where its own {@code --method} option would
 * stand.
 */
public final class MethodOptions {
  @Option(
      names = {"-O", "--method-option"},
      paramLabel = "KEY=VALUE",
      description = "An option of the hypergradient plugin (repeatable).")
  private Map<String, String> options = new LinkedHashMap<>();

  /** Creates the option with no values, as before parsing. */
  public MethodOptions() {}

  /**
   * The options given.
   *
   * @return an unmodifiable view, from key to value in the order the keys were first given
   */
  public Map<String, String> options() {
    return Collections.unmodifiableMap(options);
  }
}
