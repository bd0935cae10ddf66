package org.boml.api.blocks;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import java.util.function.DoubleFunction;

/**
 * The update rules of heavy-ball momentum and of Adam (Kingma and Ba, ICLR 2015) as pure array
 * maths, written once for the two places that use them: differentiable lower-level dynamics, which
 * carry the velocity or the moments in {@code y}, and the outer optimizers, which keep them beside
 * the meta-parameters. Every function returns a new array and leaves its inputs as they were, so
 * that on tracked arrays the update is differentiable, and an in-place caller replaces its state
 * with the result. Coefficients are arrays of the parameters' type (0-dimensional, made by the
 * caller's constant factory), never Java numbers: DJL's {@code Number} overloads of the arithmetic
 * are unsafe wherever an autograd graph may keep the scalar.
 *
 * <pre>
 *   momentum:  v' = g + mu v
 *   Adam:      m' = b1 m + (1 - b1) g,   v' = b2 v + (1 - b2) g^2,
 *              direction = (m' / (1 - b1^k)) / (sqrt(max(v' / (1 - b2^k), 1e-30)) + eps)
 * </pre>
 *
 * <p>Here {@code k} is the number of the update (1 for the first). The floor of {@code 1e-30} under
 * the bias-corrected second moment is the only departure from the paper: the derivative of {@code
 * sqrt} is infinite at 0, so a gradient component that is exactly zero (a dead ReLU unit) would
 * otherwise turn a hypergradient through the step into NaN. Above the floor nothing changes.
 *
 * @since 1.5.0
 */
public final class UpdateRules {
  /** The floor under Adam's bias-corrected second moment inside the square root. */
  public static final double SECOND_MOMENT_FLOOR = 1e-30;

  private UpdateRules() {}

  /**
   * Heavy-ball momentum's next velocity, {@code g + mu v}.
   *
   * @param velocity the velocity {@code v}
   * @param gradient the gradient {@code g}
   * @param decay {@code mu}, a 0-dimensional array of the gradient's type
   * @return the next velocity (a new array)
   */
  public static NDArray momentumVelocity(NDArray velocity, NDArray gradient, NDArray decay) {
    return gradient.add(velocity.mul(decay));
  }

  /**
   * Adam's next first moment, {@code b1 m + (1 - b1) g}.
   *
   * @param moment the first moment {@code m}
   * @param gradient the gradient {@code g}
   * @param coefficients the update's coefficients
   * @return the next first moment (a new array)
   */
  public static NDArray adamFirstMoment(
      NDArray moment, NDArray gradient, AdamCoefficients coefficients) {
    return moment.mul(coefficients.beta1()).add(gradient.mul(coefficients.restOfBeta1()));
  }

  /**
   * Adam's next second moment, {@code b2 v + (1 - b2) g^2}.
   *
   * @param moment the second moment {@code v}
   * @param gradient the gradient {@code g}
   * @param coefficients the update's coefficients
   * @return the next second moment (a new array)
   */
  public static NDArray adamSecondMoment(
      NDArray moment, NDArray gradient, AdamCoefficients coefficients) {
    return moment.mul(coefficients.beta2()).add(gradient.square().mul(coefficients.restOfBeta2()));
  }

  /**
   * Adam's direction from the next moments, {@code (m / (1 - b1^k)) / (sqrt(max(v / (1 - b2^k),
   * 1e-30)) + eps)}; the step is {@code -lr} times it.
   *
   * @param firstMoment the next first moment
   * @param secondMoment the next second moment
   * @param coefficients the update's coefficients
   * @return the direction (a new array)
   */
  public static NDArray adamDirection(
      NDArray firstMoment, NDArray secondMoment, AdamCoefficients coefficients) {
    NDArray denominator =
        secondMoment
            .div(coefficients.correction2())
            .maximum(coefficients.floor())
            .sqrt()
            .add(coefficients.epsilon());
    return firstMoment.div(coefficients.correction1()).div(denominator);
  }

  /**
   * The coefficients of one Adam update, as 0-dimensional arrays.
   *
   * @param beta1 {@code b1}
   * @param restOfBeta1 {@code 1 - b1}
   * @param beta2 {@code b2}
   * @param restOfBeta2 {@code 1 - b2}
   * @param correction1 {@code 1 - b1^k}
   * @param correction2 {@code 1 - b2^k}
   * @param floor {@link #SECOND_MOMENT_FLOOR}
   * @param epsilon {@code eps}
   */
  public record AdamCoefficients(
      NDArray beta1,
      NDArray restOfBeta1,
      NDArray beta2,
      NDArray restOfBeta2,
      NDArray correction1,
      NDArray correction2,
      NDArray floor,
      NDArray epsilon) {
    /**
     * Requires every coefficient.
     *
     * @param beta1 {@code b1}
     * @param restOfBeta1 {@code 1 - b1}
     * @param beta2 {@code b2}
     * @param restOfBeta2 {@code 1 - b2}
     * @param correction1 {@code 1 - b1^k}
     * @param correction2 {@code 1 - b2^k}
     * @param floor {@link #SECOND_MOMENT_FLOOR}
     * @param epsilon {@code eps}
     */
    public AdamCoefficients {
      Objects.requireNonNull(beta1, "beta1");
      Objects.requireNonNull(restOfBeta1, "restOfBeta1");
      Objects.requireNonNull(beta2, "beta2");
      Objects.requireNonNull(restOfBeta2, "restOfBeta2");
      Objects.requireNonNull(correction1, "correction1");
      Objects.requireNonNull(correction2, "correction2");
      Objects.requireNonNull(floor, "floor");
      Objects.requireNonNull(epsilon, "epsilon");
    }
  }

  /**
   * Adam's constants, checked once when they are made: the user's settings, from which {@link #at}
   * makes the coefficients of each update.
   *
   * @param beta1 the decay of the first moment, in {@code [0, 1)}
   * @param beta2 the decay of the second moment, in {@code [0, 1)}
   * @param epsilon added to the denominator, a positive number
   */
  public record AdamConstants(double beta1, double beta2, double epsilon) {
    /**
     * Checks the constants.
     *
     * @param beta1 the decay of the first moment, in {@code [0, 1)}
     * @param beta2 the decay of the second moment, in {@code [0, 1)}
     * @param epsilon added to the denominator, a positive number
     * @throws IllegalArgumentException if a decay is outside {@code [0, 1)} or {@code epsilon} is
     *     not a positive number
     */
    public AdamConstants {
      requireDecay("beta1", beta1);
      requireDecay("beta2", beta2);
      if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
        throw new IllegalArgumentException("epsilon must be a positive number, got " + epsilon);
      }
    }

    /**
     * The coefficients of update number {@code k}.
     *
     * @param update {@code k}, a 0-dimensional array (1 for the first update); an array so that
     *     dynamics can carry the count in their differentiable state
     * @param constant makes a 0-dimensional array of the parameters' type from a number, e.g.
     *     {@code v -> differentiator.constant(manager, v, type)}
     * @return the coefficients
     */
    public AdamCoefficients at(NDArray update, DoubleFunction<NDArray> constant) {
      NDArray one = constant.apply(1);
      NDArray decay1 = constant.apply(beta1);
      NDArray decay2 = constant.apply(beta2);
      return new AdamCoefficients(
          decay1,
          constant.apply(1 - beta1),
          decay2,
          constant.apply(1 - beta2),
          one.sub(decay1.pow(update)),
          one.sub(decay2.pow(update)),
          constant.apply(SECOND_MOMENT_FLOOR),
          constant.apply(epsilon));
    }

    private static void requireDecay(String name, double value) {
      if (!(value >= 0 && value < 1)) {
        throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
      }
    }
  }
}
