package org.boml.plugins.nascells;

import java.util.List;
import java.util.Optional;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.OptionSpec;
import org.boml.api.Options;

/** Provides {@link CellNetwork} as model {@code nas-cells}. */
public final class NasCellsProvider implements ModelProvider {
  /** The provider's name. */
  public static final String NAME = "nas-cells";

  /** The option that gives the number of cells. */
  public static final String CELLS = "cells";

  /** The option that gives the intermediate nodes per cell. */
  public static final String NODES = "nodes";

  /** The option that gives the channels of every node. */
  public static final String CHANNELS = "channels";

  /** The option that fixes a discrete cell; empty for the search space. */
  public static final String GENOTYPE = "genotype";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "DARTS cells of mixed operations (alpha in x, weights in y), or a discrete cell";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(CELLS, "2", "number of normal cells"),
        new OptionSpec(NODES, "3", "intermediate nodes per cell"),
        new OptionSpec(CHANNELS, "8", "channels of every node"),
        new OptionSpec(
            GENOTYPE,
            "",
            "a discrete cell in DARTS's text form, Genotype(normal=[('sep_conv_3x3', 0), ...]);"
                + " empty for the search space"));
  }

  @Override
  public Model create(ModelSpec spec) {
    Options options = spec.options();
    String text = options.get(GENOTYPE).strip();
    Optional<Genotype> genotype;
    try {
      genotype = text.isEmpty() ? Optional.empty() : Optional.of(Genotype.parse(text));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "model " + NAME + " option " + GENOTYPE + ": " + e.getMessage(), e);
    }
    return new CellNetwork(
        spec.inputShape(),
        spec.outputs(),
        options.getInt(CELLS, 1),
        options.getInt(NODES, 1),
        options.getInt(CHANNELS, 1),
        genotype);
  }
}
