package org.boml.plugins.nascells;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.boml.api.Model;
import org.boml.api.ModelProvider;
import org.boml.api.ModelSpec;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.runtime.plugin.PluginRegistry;
import org.junit.jupiter.api.Test;

/** Derivation, text form and random cells of {@link Genotype}; the provider's discrete networks. */
class GenotypeTest {
  /** Two nodes: node 0 reads states 0, 1 (edges 0, 1); node 1 reads 0, 1, 2 (edges 2, 3, 4). */
  @Test
  void derivationKeepsTheTwoStrongestInputsAndNeverTheZeroOperation() {
    double[][] alpha = new double[5][Operation.values().length];
    // node 0: 'none' dominates edge 0 but is never chosen; its best other op is max_pool_3x3
    alpha[0][Operation.NONE.ordinal()] = 9;
    alpha[0][Operation.MAX_POOL_3X3.ordinal()] = 2;
    alpha[1][Operation.SEP_CONV_5X5.ordinal()] = 1;
    // node 1: inputs 2 and 0 are strongest, input 1 is weak
    alpha[2][Operation.DIL_CONV_3X3.ordinal()] = 3;
    alpha[3][Operation.AVG_POOL_3X3.ordinal()] = 0.5;
    alpha[4][Operation.SKIP_CONNECT.ordinal()] = 4;
    Genotype derived = Genotype.derive(alpha, 2);
    assertEquals(
        "Genotype(normal=[('max_pool_3x3', 0), ('sep_conv_5x5', 1), ('dil_conv_3x3', 0),"
            + " ('skip_connect', 2)], normal_concat=[2, 3])",
        derived.toString());
    assertEquals(derived, Genotype.parse(derived.toString()));
  }

  @Test
  void derivationRefusesAlphaOfTheWrongSize() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Genotype.derive(new double[4][8], 2));
    assertTrue(e.getMessage().contains("has 5 edges"), e.getMessage());
  }

  @Test
  void randomCellsHaveTheSizeOfTheSearchedOne() {
    Random random = new Random(5);
    for (int trial = 0; trial < 50; trial++) {
      Genotype cell = Genotype.random(4, random);
      assertEquals(4, cell.nodes().size());
      for (int node = 0; node < 4; node++) {
        List<Genotype.Edge> edges = cell.nodes().get(node);
        assertEquals(2, edges.size());
        assertNotEquals(edges.get(0).input(), edges.get(1).input());
        int states = node + 2;
        assertTrue(edges.stream().allMatch(e -> e.input() < states));
        assertTrue(edges.stream().noneMatch(e -> e.operation() == Operation.NONE));
      }
      assertEquals(cell, Genotype.parse(cell.toString()));
    }
  }

  @Test
  void textFormErrorsSayWhatIsWrong() {
    assertTrue(
        assertThrows(IllegalArgumentException.class, () -> Genotype.parse("nothing"))
            .getMessage()
            .contains("2 ('operation', input) pairs per node"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Genotype.parse("[('conv_7x7', 0), ('skip_connect', 1)]"))
            .getMessage()
            .contains("unknown operation 'conv_7x7'"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> Genotype.parse("[('none', 0), ('skip_connect', 1)]"))
            .getMessage()
            .contains("no 'none' edges"));
  }

  /** The registry's nas-cells builds the discrete network of a genotype option; it runs. */
  @Test
  void providerBuildsDiscreteNetworksOfTheSameShape() {
    ModelProvider provider = PluginRegistry.discover(List.of()).model(NasCellsProvider.NAME);
    Genotype searched = Genotype.derive(new double[Genotype.searchEdges(3)][8], 3);
    Genotype random = Genotype.random(3, new Random(1));
    try (NDManager manager = NDManager.newBaseManager()) {
      for (Genotype genotype : List.of(searched, random)) {
        Model model =
            provider.create(
                new ModelSpec(
                    new Shape(1, 8, 8),
                    10,
                    Options.forProvider(
                        Map.of(
                            "cells",
                            "2",
                            "nodes",
                            "3",
                            "channels",
                            "4",
                            "genotype",
                            genotype.toString()),
                        provider)));
        CellNetwork net = (CellNetwork) model;
        assertEquals(Optional.of(genotype), net.genotype());
        Variables params = net.initialize(manager, DataType.FLOAT32, 1);
        assertTrue(params.names().stream().noneMatch(CellNetwork.ALPHA::equals));
        assertEquals(
            new Shape(5, 10),
            net.forward(params, manager.randomUniform(0, 1, new Shape(5, 1, 8, 8)), true)
                .getShape());
      }
    }
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                provider.create(
                    new ModelSpec(
                        new Shape(1, 8, 8),
                        10,
                        Options.forProvider(Map.of("genotype", "oops"), provider))));
    assertTrue(e.getMessage().startsWith("model nas-cells option genotype:"), e.getMessage());
  }
}
