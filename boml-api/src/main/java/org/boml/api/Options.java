package org.boml.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.DoublePredicate;
import java.util.stream.Collectors;

/**
 * Immutable string key-value options for a provider, with typed, validated accessors.
 *
 * <p>Values missing from the map fall back to the {@link OptionSpec#defaultValue()} of the
 * provider's declared options; a key the provider did not declare is an error.
 */
public final class Options {
  private static final Options EMPTY = new Options(Map.of(), List.of(), "options");

  private final Map<String, String> values;
  private final Map<String, OptionSpec> specs;
  private final String owner;

  private Options(Map<String, String> values, List<OptionSpec> specs, String owner) {
    this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    Map<String, OptionSpec> byName = new LinkedHashMap<>();
    for (OptionSpec spec : specs) {
      byName.put(spec.name(), spec);
    }
    this.specs = Collections.unmodifiableMap(byName);
    this.owner = owner;
  }

  /**
   * Options with nothing set and nothing declared.
   *
   * @return the empty options
   */
  public static Options empty() {
    return EMPTY;
  }

  /**
   * Options given to a provider, checked against what it declares.
   *
   * @param values the given key-value pairs
   * @param provider the provider that receives them
   * @return the options
   * @throws IllegalArgumentException naming the unknown key and the accepted ones
   */
  public static Options forProvider(Map<String, String> values, Plugin provider) {
    String owner =
        provider.kind().name().toLowerCase(java.util.Locale.ROOT) + " '" + provider.name() + "'";
    Options options = new Options(values, provider.options(), owner);
    Set<String> unknown = new TreeSet<>(values.keySet());
    unknown.removeAll(options.specs.keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          "Unknown option(s) "
              + unknown
              + " for "
              + owner
              + "; accepted: "
              + (options.specs.isEmpty() ? "none" : options.specs.keySet()));
    }
    return options;
  }

  /**
   * The given values, without defaults.
   *
   * @return an unmodifiable view of the given key-value pairs
   */
  public Map<String, String> given() {
    return values;
  }

  /**
   * The value of an option, or its declared default.
   *
   * @param key the option's name
   * @return the value
   * @throws IllegalArgumentException if the option is neither given nor declared
   */
  public String get(String key) {
    String value = values.get(key);
    if (value != null) {
      return value;
    }
    OptionSpec spec = specs.get(key);
    if (spec == null) {
      throw new IllegalArgumentException("Option '" + key + "' is not declared by " + owner);
    }
    return spec.defaultValue();
  }

  /**
   * A floating-point option that must satisfy a condition.
   *
   * @param key the option's name
   * @param condition what a valid value satisfies, e.g. {@code v -> v > 0}
   * @param requirement the condition in words, for the error message, e.g. "a positive number"
   * @return the value
   * @throws IllegalArgumentException if the value is not a number or violates the condition
   */
  public double getDouble(String key, DoublePredicate condition, String requirement) {
    String raw = get(key);
    double value;
    try {
      value = Double.parseDouble(raw.trim());
    } catch (NumberFormatException e) {
      throw invalid(key, raw, requirement);
    }
    if (!Double.isFinite(value) || !condition.test(value)) {
      throw invalid(key, raw, requirement);
    }
    return value;
  }

  /**
   * An integer option of at least {@code min}.
   *
   * @param key the option's name
   * @param min the smallest valid value
   * @return the value
   * @throws IllegalArgumentException if the value is not an integer of at least {@code min}
   */
  public int getInt(String key, int min) {
    String raw = get(key);
    try {
      int value = Integer.parseInt(raw.trim());
      if (value >= min) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw invalid(key, raw, "an integer >= " + min);
  }

  /**
   * An option whose value is one of a fixed set of words.
   *
   * @param key the option's name
   * @param choices the valid values
   * @return the value
   * @throws IllegalArgumentException if the value is not one of the choices
   */
  public String getChoice(String key, Set<String> choices) {
    String raw = get(key);
    if (!choices.contains(raw)) {
      throw invalid(key, raw, "one of " + new TreeSet<>(choices));
    }
    return raw;
  }

  private IllegalArgumentException invalid(String key, String raw, String requirement) {
    return new IllegalArgumentException(
        "Option '" + key + "' of " + owner + " is '" + raw + "' but must be " + requirement);
  }

  @Override
  public String toString() {
    return values.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",", owner + "{", "}"));
  }
}
