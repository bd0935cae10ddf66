package org.boml.plugins.nascells;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The candidate operations of one edge of a DARTS cell, with DARTS's names. Every operation maps
 * {@code C} channels to {@code C} channels at stride 1 and keeps the spatial size.
 *
 * <ul>
 *   <li>{@code sep_conv_KxK}: ReLU, depthwise {@code KxK} convolution (groups {@code C}), pointwise
 *       {@code 1x1} convolution, batch normalization without affine parameters. DARTS stacks this
 *       twice; one stack here keeps the small search cheap.
 *   <li>{@code dil_conv_KxK}: the same with a depthwise convolution of dilation 2.
 *   <li>{@code max_pool_3x3}, {@code avg_pool_3x3}: stride 1, padding 1 (the average excludes the
 *       padding, as in DARTS).
 *   <li>{@code skip_connect}: the identity; {@code none}: zero.
 * </ul>
 */
public enum Operation {
  /** The zero operation: the edge contributes nothing. */
  NONE("none", 0, 0),
  /** The identity. */
  SKIP_CONNECT("skip_connect", 0, 0),
  /** 3x3 max pooling. */
  MAX_POOL_3X3("max_pool_3x3", 3, 0),
  /** 3x3 average pooling. */
  AVG_POOL_3X3("avg_pool_3x3", 3, 0),
  /** 3x3 separable convolution. */
  SEP_CONV_3X3("sep_conv_3x3", 3, 1),
  /** 5x5 separable convolution. */
  SEP_CONV_5X5("sep_conv_5x5", 5, 1),
  /** 3x3 separable convolution of dilation 2. */
  DIL_CONV_3X3("dil_conv_3x3", 3, 2),
  /** 5x5 separable convolution of dilation 2. */
  DIL_CONV_5X5("dil_conv_5x5", 5, 2);

  private final String label;
  private final int kernel;
  private final int dilation;

  Operation(String label, int kernel, int dilation) {
    this.label = label;
    this.kernel = kernel;
    this.dilation = dilation;
  }

  /**
   * DARTS's name of the operation, e.g. {@code sep_conv_3x3}.
   *
   * @return the name
   */
  public String label() {
    return label;
  }

  /**
   * Whether the operation has weights (a depthwise and a pointwise convolution).
   *
   * @return true for the separable and dilated convolutions
   */
  public boolean convolution() {
    return dilation > 0;
  }

  /**
   * The kernel size of a pooling or of a convolution's depthwise part.
   *
   * @return 3 or 5; 0 for {@code none} and {@code skip_connect}
   */
  public int kernel() {
    return kernel;
  }

  /**
   * The depthwise convolution's dilation.
   *
   * @return 1 or 2 for convolutions, 0 otherwise
   */
  public int dilation() {
    return dilation;
  }

  /**
   * The operation of a DARTS name.
   *
   * @param label e.g. {@code dil_conv_5x5}
   * @return the operation
   * @throws IllegalArgumentException naming the known operations
   */
  public static Operation of(String label) {
    for (Operation operation : values()) {
      if (operation.label.equals(label)) {
        return operation;
      }
    }
    throw new IllegalArgumentException(
        "unknown operation '"
            + label
            + "'; known: "
            + Arrays.stream(values()).map(Operation::label).collect(Collectors.joining(", ")));
  }

  /**
   * The operations a discrete cell may use: all but {@code none}.
   *
   * @return the operations in declaration order, without {@link #NONE}
   */
  public static List<Operation> discrete() {
    return Arrays.stream(values()).filter(operation -> operation != NONE).toList();
  }
}
