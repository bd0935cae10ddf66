package org.boml.api;

import java.util.Objects;

/**
 * One option a provider accepts.
 *
 * @param name the key, e.g. {@code strategy}
 * @param defaultValue the value used when the option is not given
 * @param description what it does, for listings and {@code --help}
 */
public record OptionSpec(String name, String defaultValue, String description) {
  /**
   * Checks that no component is null.
   *
   * @param name see the record description
   * @param defaultValue see the record description
   * @param description see the record description
   */
  public OptionSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(defaultValue, "defaultValue");
    Objects.requireNonNull(description, "description");
  }
}
