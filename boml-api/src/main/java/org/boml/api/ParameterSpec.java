package org.boml.api;

import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One named parameter of a {@link Model} and the group it belongs to.
 *
 * <p>Groups let a method say which parameters are meta-parameters {@code x} and which are base
 * parameters {@code y}. In the meta-initialization family every group is adapted ({@code y_0 = x});
 * in the meta-feature family the {@link #FEATURES} groups are {@code x} and the {@link #HEAD} group
 * is {@code y}, re-initialized for every task.
 *
 * @param name the parameter's unique name, e.g. {@code conv0.weight}
 * @param shape its shape
 * @param group its group, e.g. {@link #FEATURES} or {@link #HEAD}
 */
public record ParameterSpec(String name, Shape shape, String group) {
  /** The group of feature-extractor parameters. */
  public static final String FEATURES = "features";

  /** The group of the task-specific output layer. */
  public static final String HEAD = "head";

  /**
   * Checks that no component is null.
   *
   * @param name see the record description
   * @param shape see the record description
   * @param group see the record description
   */
  public ParameterSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(shape, "shape");
    Objects.requireNonNull(group, "group");
  }
}
