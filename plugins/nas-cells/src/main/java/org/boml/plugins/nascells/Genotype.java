package org.boml.plugins.nascells;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A discrete DARTS cell: for every intermediate node, the two edges that feed it, each an operation
 * applied to one earlier state. States {@code 0} and {@code 1} are the cell's inputs (the outputs
 * of the two previous cells), state {@code i + 2} is intermediate node {@code i}, and the cell's
 * output is the concatenation of all intermediate nodes.
 *
 * <p>The text form is DARTS's: {@code Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1),
 * ...], normal_concat=[2, 3, 4])}, two pairs per node in node order.
 *
 * @param nodes one list of exactly two edges per intermediate node
 */
public record Genotype(List<List<Edge>> nodes) {
  /** The number of edges per node in a discrete cell (DARTS keeps the top two). */
  public static final int INPUTS_PER_NODE = 2;

  private static final Pattern PAIR = Pattern.compile("\\('([a-z0-9_]+)',\\s*(\\d+)\\)");

  /**
   * One edge of a discrete cell.
   *
   * @param operation the operation, never {@link Operation#NONE}
   * @param input the state it reads, {@code 0 <= input < node + 2}
   */
  public record Edge(Operation operation, int input) {
    /**
     * Checks the components.
     *
     * @param operation see the record description
     * @param input see the record description
     */
    public Edge {
      Objects.requireNonNull(operation, "operation");
      if (operation == Operation.NONE) {
        throw new IllegalArgumentException("a discrete cell has no 'none' edges");
      }
    }
  }

  /**
   * Checks that every node has two edges from distinct earlier states, and copies the lists.
   *
   * @param nodes see the record description
   */
  public Genotype {
    if (nodes.isEmpty()) {
      throw new IllegalArgumentException("a genotype needs at least one node");
    }
    List<List<Edge>> copy = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      List<Edge> edges = List.copyOf(nodes.get(i));
      if (edges.size() != INPUTS_PER_NODE) {
        throw new IllegalArgumentException(
            "node " + i + " of a genotype needs 2 edges, got " + edges.size());
      }
      for (Edge edge : edges) {
        if (edge.input() < 0 || edge.input() >= i + 2) {
          throw new IllegalArgumentException(
              "node " + i + " can read states 0.." + (i + 1) + ", not " + edge.input());
        }
      }
      if (edges.get(0).input() == edges.get(1).input()) {
        throw new IllegalArgumentException(
            "the two edges of node " + i + " read the same state " + edges.get(0).input());
      }
      copy.add(edges);
    }
    nodes = List.copyOf(copy);
  }

  /**
   * The number of edges of a cell of the continuous search space: node {@code i} reads all {@code i
   * + 2} earlier states.
   *
   * @param nodes the intermediate nodes
   * @return {@code sum_{i < nodes} (i + 2)}
   */
  public static int searchEdges(int nodes) {
    return nodes * (nodes + 3) / 2;
  }

  /**
   * The index of the search-space edge from a state to a node, in the order of the rows of {@code
   * alpha}: the edges of node 0, then of node 1, ..., each by input state.
   *
   * @param node the intermediate node
   * @param input the state it reads, {@code < node + 2}
   * @return the edge's row
   */
  public static int searchEdge(int node, int input) {
    return searchEdges(node) + input;
  }

  /**
   * DARTS's derivation of the discrete cell from architecture weights: for every node, the two
   * input states whose strongest operation other than {@code none} has the largest softmax weight,
   * each with that operation.
   *
   * @param alpha one row of operation logits per search-space edge ({@link #searchEdge}), in {@link
   *     Operation} order
   * @param nodes the intermediate nodes
   * @return the genotype; the two edges of a node in the order of their input states
   */
  public static Genotype derive(double[][] alpha, int nodes) {
    if (alpha.length != searchEdges(nodes)) {
      throw new IllegalArgumentException(
          "alpha has "
              + alpha.length
              + " rows, but a cell of "
              + nodes
              + " nodes has "
              + searchEdges(nodes)
              + " edges");
    }
    List<List<Edge>> cell = new ArrayList<>();
    for (int node = 0; node < nodes; node++) {
      List<Edge> best = new ArrayList<>();
      List<Double> strengths = new ArrayList<>();
      for (int input = 0; input < node + 2; input++) {
        double[] weights = softmax(alpha[searchEdge(node, input)]);
        Operation strongest = null;
        for (Operation operation : Operation.discrete()) {
          if (strongest == null || weights[operation.ordinal()] > weights[strongest.ordinal()]) {
            strongest = operation;
          }
        }
        best.add(new Edge(strongest, input));
        strengths.add(weights[Objects.requireNonNull(strongest).ordinal()]);
      }
      List<Edge> top =
          IntStream.range(0, best.size())
              .boxed()
              .sorted(
                  Comparator.comparingDouble((Integer i) -> -strengths.get(i))
                      .thenComparing(i -> i))
              .limit(INPUTS_PER_NODE)
              .sorted()
              .map(best::get)
              .toList();
      cell.add(top);
    }
    return new Genotype(cell);
  }

  /**
   * A random discrete cell of the same size as the searched ones: every node reads two distinct
   * earlier states drawn uniformly, each through an operation drawn uniformly from all but {@code
   * none} (DARTS's random baseline).
   *
   * @param nodes the intermediate nodes
   * @param random the source of randomness
   * @return the genotype
   */
  public static Genotype random(int nodes, Random random) {
    List<Operation> operations = Operation.discrete();
    List<List<Edge>> cell = new ArrayList<>();
    for (int node = 0; node < nodes; node++) {
      int first = random.nextInt(node + 2);
      int second = random.nextInt(node + 1);
      if (second >= first) {
        second++;
      }
      cell.add(
          List.of(
              new Edge(operations.get(random.nextInt(operations.size())), Math.min(first, second)),
              new Edge(
                  operations.get(random.nextInt(operations.size())), Math.max(first, second))));
    }
    return new Genotype(cell);
  }

  /**
   * Reads the text form ({@link #toString()}); only the {@code ('op', input)} pairs are read.
   *
   * @param text the genotype's text
   * @return the genotype
   * @throws IllegalArgumentException if there is no pair, an odd number, or an unknown operation
   */
  public static Genotype parse(String text) {
    Matcher matcher = PAIR.matcher(text);
    List<Edge> edges = new ArrayList<>();
    while (matcher.find()) {
      edges.add(new Edge(Operation.of(matcher.group(1)), Integer.parseInt(matcher.group(2))));
    }
    if (edges.isEmpty() || edges.size() % INPUTS_PER_NODE != 0) {
      throw new IllegalArgumentException(
          "a genotype needs 2 ('operation', input) pairs per node, got "
              + edges.size()
              + " in: "
              + text);
    }
    List<List<Edge>> cell = new ArrayList<>();
    for (int i = 0; i < edges.size(); i += INPUTS_PER_NODE) {
      cell.add(edges.subList(i, i + INPUTS_PER_NODE));
    }
    return new Genotype(cell);
  }

  @Override
  public String toString() {
    return "Genotype(normal=["
        + nodes.stream()
            .flatMap(List::stream)
            .map(edge -> "('" + edge.operation().label() + "', " + edge.input() + ")")
            .collect(Collectors.joining(", "))
        + "], normal_concat="
        + IntStream.range(2, nodes.size() + 2)
            .boxed()
            .map(String::valueOf)
            .collect(Collectors.joining(", ", "[", "]"))
        + ")";
  }

  private static double[] softmax(double[] logits) {
    double max = Double.NEGATIVE_INFINITY;
    for (double logit : logits) {
      max = Math.max(max, logit);
    }
    double[] weights = new double[logits.length];
    double sum = 0;
    for (int i = 0; i < logits.length; i++) {
      weights[i] = Math.exp(logits[i] - max);
      sum += weights[i];
    }
    for (int i = 0; i < logits.length; i++) {
      weights[i] /= sum;
    }
    return weights;
  }
}
