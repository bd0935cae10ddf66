package org.boml.runtime.plugin;

import java.util.List;
import java.util.function.Supplier;
import org.boml.api.BomlApi;
import org.boml.api.Dataset;
import org.boml.api.DatasetProvider;
import org.boml.api.HypergradientModule;
import org.boml.api.HypergradientModuleProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Providers whose answers a test chooses, for the rules of the plugin layer that judge them. */
final class FakeProviders {
  private FakeProviders() {}

  /**
   * A hypergradient provider whose answers come from the given functions, at version 1.0.0 and
   * built against this runtime's API.
   */
  static HypergradientModuleProvider hypergradient(
      Supplier<String> name, Supplier<String> description, Supplier<List<OptionSpec>> options) {
    return hypergradient(name, description, options, "1.0.0", BomlApi.VERSION);
  }

  /** A hypergradient provider with a name, a version and the API version it was built against. */
  static HypergradientModuleProvider hypergradient(String name, String version, String apiVersion) {
    return hypergradient(() -> name, () -> "a fake", List::of, version, apiVersion);
  }

  private static HypergradientModuleProvider hypergradient(
      Supplier<String> name,
      Supplier<String> description,
      Supplier<List<OptionSpec>> options,
      String version,
      String apiVersion) {
    return new HypergradientModuleProvider() {
      @Override
      public String name() {
        return name.get();
      }

      @Override
      public String description() {
        return description.get();
      }

      @Override
      public List<OptionSpec> options() {
        return options.get();
      }

      @Override
      public String version() {
        return version;
      }

      @Override
      public String apiVersion() {
        return apiVersion;
      }

      @Override
      public HypergradientModule create(Options options) {
        return null;
      }
    };
  }

  /** A dataset provider with a name, built against this runtime's API. */
  static DatasetProvider dataset(String name) {
    return new DatasetProvider() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public String description() {
        return "a fake";
      }

      @Override
      public String version() {
        return "1.0.0";
      }

      @Override
      public String apiVersion() {
        return BomlApi.VERSION;
      }

      @Override
      public String defaultModel() {
        return "mlp";
      }

      @Override
      public Dataset open(Options options) {
        return null;
      }
    };
  }
}
