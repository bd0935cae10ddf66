package org.boml.runtime.problem;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.boml.api.LayerHook;
import org.boml.api.Model;
import org.boml.api.ModelExtension;
import org.boml.api.ParameterSpec;
import org.boml.api.Variables;

/**
 * Which variables are meta-parameters {@code x} and which are base parameters {@code y}: the
 * model's, split by the {@link Family}, plus the groups a method's {@link ModelExtension} adds
 * ({@code x = x_model u x_added}, {@code y = y_model u adapted(x_added)}).
 */
public final class ParameterLayout {
  private final Model model;
  private final Family family;
  private final ModelExtension extension;
  private final List<ParameterSpec> added;
  private final Set<String> adaptedAdded;

  private ParameterLayout(Model model, Family family, ModelExtension extension) {
    this.model = model;
    this.family = family;
    this.extension = extension;
    this.added =
        extension == null
            ? List.of()
            : List.copyOf(extension.parameters(model, SupervisedProblem.baseNames(model, family)));
    Set<String> modelNames = new LinkedHashSet<>();
    model.parameterSpecs().forEach(p -> modelNames.add(p.name()));
    Set<String> adapted = new LinkedHashSet<>();
    for (ParameterSpec spec : added) {
      if (modelNames.contains(spec.name())) {
        throw new IllegalArgumentException(
            "the method adds a parameter '"
                + spec.name()
                + "', which is already a parameter of the model");
      }
      if (extension.adapted(spec)) {
        adapted.add(spec.name());
      }
    }
    this.adaptedAdded = Set.copyOf(adapted);
  }

  /**
   * The layout of a model in a family, extended by a method.
   *
   * @param model the model
   * @param family the family
   * @param extension the method's extension, or empty for the model's parameters alone
   * @return the layout
   * @throws IllegalArgumentException if the extension cannot extend this model
   */
  public static ParameterLayout of(Model model, Family family, Optional<ModelExtension> extension) {
    return new ParameterLayout(model, family, extension.orElse(null));
  }

  /**
   * The family that splits the model's parameters.
   *
   * @return the family
   */
  public Family family() {
    return family;
  }

  /**
   * The same extension and family for another model (e.g. one with another number of classes).
   *
   * @param other the model
   * @return its layout
   */
  public ParameterLayout forModel(Model other) {
    return other == model ? this : new ParameterLayout(other, family, extension);
  }

  /**
   * The parameters the extension adds.
   *
   * @return their specifications, empty without an extension
   */
  public List<ParameterSpec> added() {
    return added;
  }

  /**
   * Initial meta-parameters: the model's meta-parameters of the family, then the added ones.
   *
   * @param manager where they are created
   * @param dataType their type
   * @param seed fixes them
   * @return {@code x_0}
   */
  public Variables initialMeta(NDManager manager, DataType dataType, long seed) {
    Variables all = model.initialize(manager, dataType, seed);
    Set<String> metaNames = SupervisedProblem.metaNames(model, family);
    Variables meta = all.select(metaNames::contains);
    all.select(name -> !metaNames.contains(name)).values().forEach(NDArray::close);
    if (extension == null) {
      return meta;
    }
    return meta.merge(extension.initialize(added, manager, dataType, ~seed));
  }

  /**
   * The added parameters that the lower level adapts.
   *
   * @return their names
   */
  Set<String> adaptedAdded() {
    return adaptedAdded;
  }

  /**
   * The hook of one forward pass.
   *
   * @param params the values the model is evaluated at
   * @param training whether training
   * @return the extension's hook, or the identity
   */
  LayerHook hook(Variables params, boolean training) {
    return extension == null ? LayerHook.IDENTITY : extension.hook(params, training);
  }
}
