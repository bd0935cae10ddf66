/**
 * The service provider interfaces of BOML, meta-learning as bilevel optimization.
 *
 * <p>A meta-learning method is a bilevel problem: the upper level (UL) learns meta-parameters
 * {@code x} over many tasks, the lower level (LL) adapts base parameters {@code y} per task, {@code
 * y_0 = Psi_0(x)}, {@code y_t = Psi_t(x, y_{t-1})}, and the UL objective is the validation loss
 * {@code F(x, y_T)}. Plugins implement the providers of this module and are found with {@link
 * java.util.ServiceLoader}:
 *
 * <ul>
 *   <li>{@link org.boml.api.IterationModuleProvider}: lower-level dynamics {@code Psi};
 *   <li>{@link org.boml.api.HypergradientModuleProvider}: how {@code dF/dx} is computed;
 *   <li>{@link org.boml.api.DatasetProvider}: meta-datasets that sample tasks;
 *   <li>{@link org.boml.api.ModelProvider}: functional models.
 * </ul>
 *
 * <p>Providers also declare which combinations make sense ({@link org.boml.api.Capabilities}):
 * dynamics list what they can do, hypergradient modules what they require, the fewest steps they
 * need and the options they share with the dynamics; the runtime refuses anything else before
 * training starts.
 *
 * <p>{@code org.boml.api.blocks} holds small building blocks that hypergradient plugins share (a
 * lower-level trajectory, the upper gradient at its end, a reverse pass over a window of replayed
 * steps, conjugate gradient), so that a plugin built on them still needs this module only.
 */
module org.boml.api {
  requires transitive ai.djl.api;

  exports org.boml.api;
  exports org.boml.api.blocks;

  uses org.boml.api.IterationModuleProvider;
  uses org.boml.api.HypergradientModuleProvider;
  uses org.boml.api.DatasetProvider;
  uses org.boml.api.ModelProvider;
}
