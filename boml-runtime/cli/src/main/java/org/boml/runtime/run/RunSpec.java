package org.boml.runtime.run;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The resolved configuration of a run: which plugins with which options, and the training settings.
 * It is saved as {@code config.json} in the run directory and is all {@code evaluate} needs to
 * rebuild the model and the lower-level dynamics. Plain data: fields map one to one to JSON keys.
 */
public final class RunSpec {
  /**
   * The method names that stand for a hypergradient plugin: {@code maml} = {@code rhg}, {@code
   * fomaml} = {@code fmaml}.
   */
  public static final Map<String, String> METHOD_ALIASES = Map.of("maml", "rhg", "fomaml", "fmaml");

  /**
   * The keys every {@code config.json} has held since the first release; a configuration without
   * one of them is damaged and refused. Keys added later may be absent from older files and keep
   * their field's default.
   */
  public static final List<String> REQUIRED_KEYS =
      List.of(
          "dataset",
          "datasetOptions",
          "model",
          "modelOptions",
          "hypergradient",
          "hypergradientOptions",
          "dynamics",
          "dynamicsOptions",
          "family",
          "innerSteps",
          "metaBatch",
          "optimizer",
          "metaLearningRate",
          "momentum",
          "learningRateDecay",
          "learningRateDecayEvery",
          "clipNorm",
          "iterations",
          "seed",
          "dtype",
          "workers",
          "inputShape",
          "outputs",
          "versions");

  /** Dataset plugin name. */
  public String dataset = "sinusoid";

  /** Dataset options as given. */
  public Map<String, String> datasetOptions = new LinkedHashMap<>();

  /** Model plugin name; empty for the dataset's default. */
  public String model = "";

  /** Model options as given. */
  public Map<String, String> modelOptions = new LinkedHashMap<>();

  /**
   * The method as the user named it, e.g. {@code maml} (an alias of {@link #hypergradient}); read
   * as the hypergradient's name from configurations older than this key.
   */
  public String method = "maml";

  /** Hypergradient plugin name. */
  public String hypergradient = "rhg";

  /** Hypergradient options as given. */
  public Map<String, String> hypergradientOptions = new LinkedHashMap<>();

  /** Lower-level dynamics plugin name. */
  public String dynamics = "gd";

  /** Dynamics options as given. */
  public Map<String, String> dynamicsOptions = new LinkedHashMap<>();

  /** {@code meta-init} or {@code meta-feature}. */
  public String family = "meta-init";

  /** Lower-level steps T. */
  public int innerSteps = 1;

  /** Tasks per meta-iteration. */
  public int metaBatch = 25;

  /** {@code adam}, {@code sgd} or {@code momentum}. */
  public String optimizer = "adam";

  /** Outer learning rate. */
  public double metaLearningRate = 1e-3;

  /** Momentum of the momentum optimizer. */
  public double momentum = 0.9;

  /** Learning-rate decay factor. */
  public double learningRateDecay = 1;

  /** Iterations between decays. */
  public int learningRateDecayEvery = 1000;

  /** Hypergradient clipping norm, 0 for none. */
  public double clipNorm;

  /** The most tasks with a non-finite loss or hypergradient to skip; 0 stops at the first. */
  public int skipBadTasks;

  /** Meta-iterations. */
  public int iterations = 10000;

  /** Iterations between measurements on validation tasks; 0 for none. */
  public int validateEvery;

  /** Validation tasks per measurement. */
  public int validationEpisodes = 20;

  /** Held-out tasks of the final evaluation ({@code result.json}). */
  public int evalEpisodes = 600;

  /** Iterations between checkpoints; 0 for every 5% of the run. */
  public int checkpointEvery;

  /** The run's seed. */
  public long seed;

  /** {@code float32} or {@code float64}. */
  public String dtype = "float32";

  /** Worker threads; 0 for the number of cores. */
  public int workers;

  /**
   * How the workers schedule the tasks' upper passes: {@code concurrent} or {@code one-at-a-time}
   * ({@link Assembly#upperPasses}).
   */
  public String upperPasses = Assembly.CONCURRENT;

  /**
   * The devices computing tasks, as {@code --devices} takes them ({@link
   * org.boml.runtime.run.Devices}); does not change what a run learns on one kind of device.
   */
  public String devices = org.boml.runtime.run.Devices.AUTO;

  /** The shape of one model input, recorded at training (evaluation rebuilds the model from it). */
  public long[] inputShape = new long[0];

  /** The model's number of outputs at training. */
  public int outputs;

  /** Versions of the library and of every plugin used, recorded when the run starts. */
  public Map<String, String> versions = new LinkedHashMap<>();
}
