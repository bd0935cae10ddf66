package org.boml.runtime.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.boml.api.Plugin;

/**
 * Asks a provider, once, every question of {@link Plugin} that the runtime relies on: a provider
 * whose {@code name()}, {@code kind()}, {@code description()}, {@code options()}, {@code version()}
 * or {@code apiVersion()} throws or returns null (or a blank name, or options with a null entry)
 * would fail later with a message that names no plugin, so {@link ProviderLoader} refuses it.
 */
final class ProviderCheck {
  private ProviderCheck() {}

  /**
   * What is wrong with a provider's answers.
   *
   * @param plugin the provider
   * @return every wrong answer, joined with commas, or empty for a provider that answers every
   *     question
   */
  static Optional<String> misbehaviour(Plugin plugin) {
    List<String> wrong = new ArrayList<>();
    answer("name", plugin::name, wrong)
        .filter(name -> name.isBlank())
        .ifPresent(name -> wrong.add("its name() is blank"));
    answer("kind", plugin::kind, wrong);
    answer("description", plugin::description, wrong);
    answer("options", plugin::options, wrong)
        .filter(options -> options.stream().anyMatch(Objects::isNull))
        .ifPresent(options -> wrong.add("its options() holds null"));
    answer("version", plugin::version, wrong);
    answer("apiVersion", plugin::apiVersion, wrong);
    return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", wrong));
  }

  /** The provider's answer, or empty with a note in {@code wrong} when it throws or is null. */
  private static <V> Optional<V> answer(String method, Supplier<V> call, List<String> wrong) {
    V value;
    try {
      value = call.get();
    } catch (RuntimeException | LinkageError e) {
      wrong.add(
          "its "
              + method
              + "() threw "
              + e.getClass().getName()
              + (e.getMessage() == null ? "" : ": " + RootCause.message(e)));
      return Optional.empty();
    }
    if (value == null) {
      wrong.add("its " + method + "() returned null");
    }
    return Optional.ofNullable(value);
  }
}
