package org.boml.api;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import java.util.Set;

/**
 * Parameters a method adds to the meta-parameters {@code x}, and how they enter the model.
 *
 * <p>Without an extension, {@code x} holds the model's parameters only. A method such as Meta-SGD
 * (learned per-parameter step sizes {@code alpha}), MT-net (transformations {@code T} and mask
 * logits {@code zeta}) or WarpGrad (warp layers {@code omega}) adds groups of its own:
 *
 * <pre>
 *   x = x_model u x_added,    y_0 = Psi_0(x) = y_model,0 u { x_added[p] : adapted(p) }
 * </pre>
 *
 * so the added parameters are meta-learned with the model's, and those that are {@link
 * #adapted(ParameterSpec) adapted} also start the lower level's state. The model is then evaluated
 * at {@code y u (x \ y)} (adapted values win) with the extension's {@link #hook layer hook}, which
 * reads the added parameters it needs from those values.
 *
 * <p>An extension is supplied by the provider of the dynamics ({@link
 * IterationModuleProvider#modelExtension(Options)}) or of the hypergradient ({@link
 * HypergradientModuleProvider#modelExtension(Options)}); the runtime refuses a combination where
 * both supply one. It must be stateless between calls and safe to use from several threads.
 */
public interface ModelExtension {
  /**
   * The parameters this extension adds for a model. Names must not clash with the model's; the
   * convention is {@code <plugin>.<group>/<model parameter or layer>}, and each {@link
   * ParameterSpec#group()} names the added group (e.g. {@code metasgd.lr}).
   *
   * @param model the model
   * @param adapted the names of the model's parameters that the lower level adapts (the base
   *     parameters {@code y} of the method's family)
   * @return the added parameters, in a fixed order; may be empty
   * @throws IllegalArgumentException if the model does not offer what the extension needs (e.g. no
   *     {@link Model#layers()}), with a message that says so
   */
  List<ParameterSpec> parameters(Model model, Set<String> adapted);

  /**
   * Whether an added parameter is adapted by the lower level (part of {@code y}), or only
   * meta-learned (part of {@code x} alone).
   *
   * @param parameter one of {@link #parameters}
   * @return false by default: added parameters are meta-parameters only
   */
  default boolean adapted(ParameterSpec parameter) {
    return false;
  }

  /**
   * The initial values of the added parameters.
   *
   * @param parameters the result of {@link #parameters}
   * @param manager where the arrays are created
   * @param dataType their type
   * @param seed fixes random initial values
   * @return one array per parameter, same names, order and shapes
   */
  Variables initialize(
      List<ParameterSpec> parameters, NDManager manager, DataType dataType, long seed);

  /**
   * The layer hook for one forward pass.
   *
   * @param params the values the model is evaluated at: its parameters and the added ones
   * @param training true while training (as in {@link Model#forward})
   * @return the hook; {@link LayerHook#IDENTITY} by default
   */
  default LayerHook hook(Variables params, boolean training) {
    return LayerHook.IDENTITY;
  }
}
