package org.boml.it;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import org.boml.api.BilevelProblem;
import org.boml.api.Differentiator;
import org.boml.api.HypergradientModule;
import org.boml.api.IterationModule;
import org.boml.api.Options;
import org.boml.api.Variables;
import org.boml.runtime.autodiff.TorchDifferentiator;
import org.boml.testkit.HypergradientCheck;
import org.boml.testkit.RecordedDerivatives;

/**
 * Compares the hypergradient of one cell of the plugin matrix with an independent reference for
 * exactly what its method claims to compute (docs/algorithms/&lt;method&gt;.md), in float64:
 *
 * <ul>
 *   <li>{@code rhg} (both strategies), {@code fhg}, {@code trhg} with {@code K >= T}, and any
 *       method the matrix does not know: central finite differences of the unrolled objective
 *       {@code F(x, y_T(x))};
 *   <li>{@code fhg online}: of the mean of {@code F(x, y_t)} over {@code t = 1..T};
 *   <li>{@code trhg} with {@code K < T}: of its truncated objective {@code F(x, Psi_{T-1}(x, ...
 *       Psi_{T-K}(x, Psi_0(x) + Delta)))}, {@code Delta = y_{T-K} - y_0} held at its value; {@code
 *       darts}: of the same with {@code K = 1} (exact for the sinusoid's squared-error head, whose
 *       {@code grad_x f} is quadratic in {@code y}; {@code O(eps^2)} otherwise);
 *   <li>{@code fmaml}: of its surrogate, the steps with every derivative they take replayed from
 *       the trajectory at {@code x} ({@link RecordedDerivatives});
 *   <li>{@code warpgrad}: of {@code sum_t w_t F(x, Psi_t(x, y_t)) + <c, Psi_0(x)>}, the trajectory
 *       points {@code y_t} held at their values and {@code c} the simplified Leap cotangent ({@code
 *       init=leap}) or zero ({@code init=none});
 *   <li>{@code hoag}: the implicit formula at {@code y_T}, {@code partial_x F - (partial_x grad_y
 *       f)^T q}, with {@code q = H^+ grad_y F} from the dense Hessian {@code H} (one Hessian-vector
 *       product per unit vector) and its eigendecomposition ({@link SymmetricEigen}), not conjugate
 *       gradient; with {@code warm-start} the second call (which starts from the first one's
 *       solution) is the one checked.
 * </ul>
 *
 * <p>Finite differences are central, along 2 random unit directions per group of meta-parameters
 * (the model's, each group a method or the dynamics add, each hyperparameter the dynamics learn,
 * {@code log_lr}; {@link #group}), with step {@code h = 1e-5}: in float64 the truncation error is
 * {@code O(h^2) ~ 1e-10} times the third derivative and the rounding error about {@code 1e-16 |J| /
 * h ~ 1e-11 |J|}, so a directional derivative {@code a} passes against the difference {@code n}
 * when {@code |a - n| <= 1e-5 max(|a|, |n|) + 1e-8}; a wrong term, sign or an all-zero group misses
 * that by orders of magnitude. MT-net's mask logits, whose gradient is a straight-through estimate
 * that no finite difference matches, are held fixed and must get a non-zero hypergradient. Every
 * entry of every hypergradient must be finite.
 */
final class ValueCheck {
  /** The finite-difference step along a unit direction. */
  static final double STEP = 1e-5;

  /** The relative tolerance of a comparison. */
  static final double RELATIVE = 1e-5;

  /** The absolute tolerance, above the rounding error of a difference of objectives of size ~10. */
  static final double ABSOLUTE = 1e-8;

  private static final int DIRECTIONS = 2;
  private static final Differentiator D = TorchDifferentiator.get();

  /** What the meta-parameters whose gradient is a straight-through estimate are called. */
  private static final Predicate<String> STRAIGHT_THROUGH = name -> name.startsWith("mtnet.zeta/");

  private ValueCheck() {}

  /**
   * What a check compared.
   *
   * @param reference the reference, in words
   * @param worst the worst comparison as a fraction of what passes (at most 1 passes)
   */
  record Outcome(String reference, double worst) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s, worst %.2g of tolerance", reference, worst);
    }
  }

  /**
   * Computes the cell's hypergradient and checks it against its reference.
   *
   * @param cell the cell
   * @param instance its problem and meta-parameters
   * @param method the hypergradient module, created with the resolved options
   * @param dynamics the dynamics
   * @return what was compared
   * @throws AssertionError naming the cell and the comparison if the hypergradient is wrong
   */
  static Outcome check(
      Combination cell,
      MatrixData.Instance instance,
      HypergradientModule method,
      IterationModule dynamics) {
    BilevelProblem problem = instance.problem();
    Variables x = instance.x();
    int steps = cell.problem().steps();
    Options options = Options.forProvider(cell.resolvedMethodOptions(), cell.method());
    Variables gradient = method.compute(problem, dynamics, x.map(D::leaf), steps, D).gradient();
    String name = cell.method().name();
    if (name.equals("hoag") && options.get("warm-start").equals("true")) {
      gradient = method.compute(problem, dynamics, x.map(D::leaf), steps, D).gradient();
    }
    requireFinite(cell, gradient);
    return switch (name) {
      case "hoag" -> againstImplicit(cell, problem, dynamics, x, gradient, steps);
      case "fmaml" -> {
        RecordedDerivatives recorded = new RecordedDerivatives(D);
        trajectory(problem, dynamics, x, steps, recorded);
        yield againstDifferences(
            cell,
            "FD of the first-order surrogate",
            point -> {
              recorded.replay();
              List<Variables> z = trajectory(problem, dynamics, point, steps, recorded);
              recorded.requireAllReplayed();
              return upper(problem, point, z.get(steps));
            },
            x,
            gradient);
      }
      case "trhg" -> {
        int window = Integer.parseInt(options.get("truncation"));
        yield window >= steps
            ? againstUnrolled(cell, problem, dynamics, x, gradient, steps)
            : againstTruncated(cell, problem, dynamics, x, gradient, steps, window);
      }
      case "darts" -> againstTruncated(cell, problem, dynamics, x, gradient, steps, 1);
      case "fhg" ->
          options.get("online").equals("true")
              ? againstDifferences(
                  cell,
                  "FD of the mean of F(x, y_t), t = 1..T",
                  point -> {
                    List<Variables> y = trajectory(problem, dynamics, point, steps, D);
                    double sum = 0;
                    for (int t = 1; t <= steps; t++) {
                      sum += upper(problem, point, y.get(t));
                    }
                    return sum / steps;
                  },
                  x,
                  gradient)
              : againstUnrolled(cell, problem, dynamics, x, gradient, steps);
      case "warpgrad" -> againstWarpObjective(cell, problem, dynamics, x, gradient, steps, options);
      default -> againstUnrolled(cell, problem, dynamics, x, gradient, steps);
    };
  }

  private static Outcome againstUnrolled(
      Combination cell,
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      Variables gradient,
      int steps) {
    return againstDifferences(
        cell,
        "FD of F(x, y_T(x))",
        point -> HypergradientCheck.unrolledObjective(problem, dynamics, point, steps, D),
        x,
        gradient);
  }

  private static Outcome againstTruncated(
      Combination cell,
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      Variables gradient,
      int steps,
      int window) {
    List<Variables> y = trajectory(problem, dynamics, x, steps, D);
    Variables displacement = y.get(steps - window).zip(y.get(0), NDArray::sub);
    return againstDifferences(
        cell,
        "FD of the objective truncated to K=" + window,
        point -> {
          Variables z = dynamics.initialize(point, problem, D).zip(displacement, NDArray::add);
          for (int t = steps - window; t < steps; t++) {
            z = dynamics.step(t, point, z, problem, D, false);
          }
          return upper(problem, point, z);
        },
        x,
        gradient);
  }

  private static Outcome againstWarpObjective(
      Combination cell,
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      Variables gradient,
      int steps,
      Options options) {
    List<Variables> y = trajectory(problem, dynamics, x, steps, D);
    boolean increasing = options.get("weighting").equals("increasing");
    double[] weights = new double[steps];
    for (int t = 0; t < steps; t++) {
      weights[t] = increasing ? 2.0 * (t + 1) / (steps * (steps + 1.0)) : 1.0 / steps;
    }
    Variables leap = options.get("init").equals("leap") ? leapCotangent(y) : null;
    return againstDifferences(
        cell,
        "FD of the warp objective" + (leap == null ? "" : " + <Leap cotangent, Psi_0(x)>"),
        point -> {
          double sum = 0;
          for (int t = 0; t < steps; t++) {
            sum +=
                weights[t]
                    * upper(problem, point, dynamics.step(t, point, y.get(t), problem, D, false));
          }
          if (leap != null) {
            sum += leap.dot(dynamics.initialize(point, problem, D));
          }
          return sum;
        },
        x,
        gradient);
  }

  /** {@code sum_t (y_t - y_{t+1}) / (|y_t - y_{t+1}| + 1e-9)}, the norm over all variables. */
  private static Variables leapCotangent(List<Variables> y) {
    Variables sum = null;
    for (int t = 0; t + 1 < y.size(); t++) {
      Variables segment = y.get(t).zip(y.get(t + 1), NDArray::sub);
      double norm = Math.sqrt(segment.dot(segment)) + 1e-9;
      NDArray scale = D.constant(segment.values().get(0).getManager(), 1 / norm, DataType.FLOAT64);
      Variables unit = segment.map(s -> s.mul(scale));
      sum = sum == null ? unit : sum.zip(unit, NDArray::add);
    }
    return sum;
  }

  /**
   * The implicit hypergradient at {@code y_T} with a dense Hessian and its pseudo-inverse: {@code
   * partial_x F - (partial_x grad_y f)^T H^+ grad_y F}.
   */
  private static Outcome againstImplicit(
      Combination cell,
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      Variables gradient,
      int steps) {
    Variables end = trajectory(problem, dynamics, x, steps, D).get(steps);
    Variables leaves = x.map(D::leaf);
    Variables last = end.map(D::leaf);
    List<NDArray> both =
        D.gradient(problem.upperObjective(leaves, last), Variables.concat(leaves, last), false);
    Variables direct = leaves.withValues(both.subList(0, leaves.size()));
    Variables upperGradient = last.withValues(both.subList(leaves.size(), both.size()));
    Variables lowerGradient =
        D.gradient(problem.lowerObjective(steps - 1, leaves, last), last, true);
    double[] rhs = flatten(upperGradient);
    int n = rhs.length;
    double[][] hessian = new double[n][];
    for (int i = 0; i < n; i++) {
      double[] unit = new double[n];
      unit[i] = 1;
      hessian[i] = flatten(D.vjp(lowerGradient, unflatten(unit, last), last, false));
    }
    SymmetricEigen eigen = SymmetricEigen.of(hessian);
    double[] q = eigen.pseudoSolve(rhs, 1e-10);
    Variables mixed = D.vjp(lowerGradient, unflatten(q, last), leaves, false);
    Variables reference = direct.zip(mixed, NDArray::sub);
    double worst = 0;
    for (String group : groups(x)) {
      Predicate<String> inGroup = n2 -> group(n2).equals(group);
      double[] a = flatten(gradient.select(inGroup));
      double[] r = flatten(reference.select(inGroup));
      double difference = 0;
      double scale = 0;
      for (int i = 0; i < a.length; i++) {
        difference += (a[i] - r[i]) * (a[i] - r[i]);
        scale += r[i] * r[i];
      }
      double ratio = Math.sqrt(difference) / (RELATIVE * Math.sqrt(scale) + ABSOLUTE);
      if (ratio > 1) {
        throw new AssertionError(
            String.format(
                Locale.ROOT,
                "%s: group %s differs from the dense implicit formula by %.3g (norm %.3g;"
                    + " Hessian of size %d, eigenvalues %s, asymmetry %.3g)",
                cell,
                group,
                Math.sqrt(difference),
                Math.sqrt(scale),
                n,
                eigen,
                SymmetricEigen.asymmetry(hessian)));
      }
      worst = Math.max(worst, ratio);
    }
    return new Outcome("dense implicit formula at y_T", worst);
  }

  /**
   * Compares, group by group, the hypergradient with central differences of a function of the
   * meta-parameters; straight-through groups are held fixed and must be non-zero.
   */
  private static Outcome againstDifferences(
      Combination cell,
      String reference,
      ToDoubleFunction<Variables> function,
      Variables x,
      Variables gradient) {
    double worst = 0;
    Variables straight = x.select(STRAIGHT_THROUGH);
    for (String name : straight.names()) {
      if (maxAbs(gradient.get(name)) == 0) {
        throw new AssertionError(cell + ": the straight-through estimate of " + name + " is zero");
      }
    }
    Variables checked = x.select(STRAIGHT_THROUGH.negate());
    for (String group : groups(checked)) {
      Predicate<String> inGroup = name -> group(name).equals(group);
      Variables rest = x.select(inGroup.negate());
      List<HypergradientCheck.Direction> directions =
          HypergradientCheck.compare(
              point -> function.applyAsDouble(point.merge(rest)),
              checked.select(inGroup),
              gradient.select(inGroup.and(STRAIGHT_THROUGH.negate())),
              DIRECTIONS,
              STEP,
              group.hashCode());
      for (HypergradientCheck.Direction d : directions) {
        double a = d.analytic();
        double n = d.numeric();
        double ratio = Math.abs(a - n) / (RELATIVE * Math.max(Math.abs(a), Math.abs(n)) + ABSOLUTE);
        if (!(ratio <= 1)) {
          throw new AssertionError(
              String.format(
                  Locale.ROOT,
                  "%s: group %s, <hypergradient, v> = %.10g but the %s gives %.10g",
                  cell,
                  group,
                  a,
                  reference,
                  n));
        }
        worst = Math.max(worst, ratio);
      }
    }
    return new Outcome(reference, worst);
  }

  /**
   * {@code y_0 .. y_T}: {@code Psi_0} exact, the steps without a graph and with the derivatives of
   * a differentiator (a recording or replaying one for first-order MAML's surrogate).
   */
  private static List<Variables> trajectory(
      BilevelProblem problem,
      IterationModule dynamics,
      Variables x,
      int steps,
      Differentiator differentiator) {
    List<Variables> y = new ArrayList<>(steps + 1);
    y.add(dynamics.initialize(x, problem, D).map(NDArray::stopGradient));
    for (int t = 0; t < steps; t++) {
      y.add(dynamics.step(t, x, y.get(t), problem, differentiator, false));
    }
    return y;
  }

  private static double upper(BilevelProblem problem, Variables x, Variables y) {
    return problem.upperObjective(x, y).toType(DataType.FLOAT64, false).getDouble();
  }

  private static void requireFinite(Combination cell, Variables gradient) {
    for (String name : gradient.names()) {
      for (double v : flatten(gradient.select(name::equals))) {
        if (!Double.isFinite(v)) {
          throw new AssertionError(cell + ": the hypergradient of " + name + " holds " + v);
        }
      }
    }
  }

  /**
   * The group of a meta-parameter: the part before {@code /} of what a method or the dynamics add
   * ({@code metasgd.lr/...}, {@code mtnet.T/...}, {@code warpgrad.warp/...}); by name a scalar or
   * vector a dynamics adds, named after it ({@code <dynamics>.<name>}: Meta-SGD's scalar {@code
   * metasgd.lr} and the learned hyperparameters {@code gd.log-lr}, {@code momentum.log-lr}, {@code
   * momentum.logit-momentum}, {@code adam.log-lr}, {@code bda.alpha}, {@code bda.log-s_u}), and
   * {@code log_lr}; {@code model} for the rest. So every learned hyperparameter is compared along
   * directions of its own.
   */
  static String group(String name) {
    int slash = name.indexOf('/');
    if (slash > 0) {
      return name.substring(0, slash);
    }
    boolean ofDynamics =
        MatrixPlugins.dynamics().stream().anyMatch(d -> name.startsWith(d.name() + "."));
    return ofDynamics || name.equals(MatrixPlugins.LOG_LR) ? name : "model";
  }

  private static Set<String> groups(Variables x) {
    Set<String> groups = new TreeSet<>();
    x.names().forEach(name -> groups.add(group(name)));
    return groups;
  }

  private static double maxAbs(NDArray array) {
    return array.abs().max().toType(DataType.FLOAT64, false).getDouble();
  }

  private static double[] flatten(Variables values) {
    List<double[]> parts = new ArrayList<>();
    int size = 0;
    for (NDArray value : values.values()) {
      double[] part = value.toType(DataType.FLOAT64, false).toDoubleArray();
      parts.add(part);
      size += part.length;
    }
    double[] flat = new double[size];
    int at = 0;
    for (double[] part : parts) {
      System.arraycopy(part, 0, flat, at, part.length);
      at += part.length;
    }
    return flat;
  }

  /** Engine-owned arrays of the shapes of {@code like}, filled from a flat vector. */
  private static Variables unflatten(double[] flat, Variables like) {
    List<NDArray> arrays = new ArrayList<>();
    int at = 0;
    for (NDArray value : like.values()) {
      int size = Math.toIntExact(value.size());
      double[] part = new double[size];
      System.arraycopy(flat, at, part, 0, size);
      at += size;
      NDManager manager = value.getManager();
      try (NDArray javaBacked = manager.create(part, value.getShape())) {
        arrays.add(javaBacked.toType(value.getDataType(), false).duplicate());
      }
    }
    return like.withValues(arrays);
  }
}
