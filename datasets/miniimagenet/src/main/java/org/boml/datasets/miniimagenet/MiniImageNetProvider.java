package org.boml.datasets.miniimagenet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.DatasetProvider;
import org.boml.api.MetaSplit;
import org.boml.api.OptionSpec;
import org.boml.api.Options;
import org.boml.datasets.fewshot.ImageDecoder;

/**
 * Provides MiniImageNet as dataset {@code miniimagenet}, read from the layout of Ravi and
 * Larochelle (see {@link SplitFiles}). Every image is decoded as RGB and resized to {@code
 * image-size} squared (84 by default; the aspect ratio is not kept) with the Pillow-compatible
 * Lanczos filter of {@link ImageDecoder#load}, giving channel-major {@code (3, size, size)} values
 * in [0, 1], not normalized further.
 *
 * <p>Images are decoded once per JVM, on all cores, and cached (as bytes, see {@link PackedClass})
 * by directory, size and the content of the csv files; the csv files are read and every listed
 * image's existence is checked on each open.
 */
public final class MiniImageNetProvider implements DatasetProvider {
  private static final ConcurrentHashMap<String, Map<MetaSplit, List<PackedClass>>> CACHE =
      new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "miniimagenet";
  }

  @Override
  public String description() {
    return "MiniImageNet (images/ + train/val/test.csv of Ravi & Larochelle), N-way K-shot RGB classification";
  }

  @Override
  public String defaultModel() {
    return "convnet";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec("data-dir", "", "folder holding images/ and train.csv, val.csv, test.csv"),
        new OptionSpec("ways", "5", "classes per task (N)"),
        new OptionSpec("shots", "1", "training images per class (K)"),
        new OptionSpec("queries", "15", "validation images per class"),
        new OptionSpec("image-size", "84", "images are resized to this height and width"));
  }

  @Override
  public Dataset open(Options options) throws DatasetException {
    String dir = options.get("data-dir");
    if (dir.isBlank()) {
      throw new DatasetException(
          "miniimagenet needs a data directory: --data-dir DIR, the folder that holds"
              + " images/, train.csv, val.csv and test.csv");
    }
    int size = options.getInt("image-size", 4);
    int ways = options.getInt("ways", 2);
    int shots = options.getInt("shots", 1);
    int queries = options.getInt("queries", 1);
    return new MiniImageNetDataset(load(Path.of(dir), size), ways, shots, queries, size);
  }

  /** The classes of each split, decoded once per JVM (in parallel). */
  static Map<MetaSplit, List<PackedClass>> load(Path dataDir, int size) throws DatasetException {
    SplitFiles.Layout layout = SplitFiles.read(dataDir);
    String key = dataDir.toAbsolutePath().normalize() + "#" + size + "#" + layout.fingerprint();
    Map<MetaSplit, List<PackedClass>> cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    List<Path> files = new ArrayList<>();
    for (MetaSplit split : MetaSplit.values()) {
      for (SplitFiles.ClassFiles imageClass : layout.classes().get(split)) {
        files.addAll(imageClass.files());
      }
    }
    byte[][] images = new byte[files.size()][];
    try {
      IntStream.range(0, files.size())
          .parallel()
          .forEach(i -> images[i] = decode(files.get(i), size));
    } catch (UncheckedDatasetException e) {
      throw e.getCause();
    }
    Map<MetaSplit, List<PackedClass>> decoded = new EnumMap<>(MetaSplit.class);
    int next = 0;
    for (MetaSplit split : MetaSplit.values()) {
      List<PackedClass> classes = new ArrayList<>();
      for (SplitFiles.ClassFiles imageClass : layout.classes().get(split)) {
        List<byte[]> pixels = new ArrayList<>(imageClass.files().size());
        for (int k = 0; k < imageClass.files().size(); k++) {
          pixels.add(images[next++]);
        }
        classes.add(new PackedClass(imageClass.label(), pixels));
      }
      decoded.put(split, List.copyOf(classes));
    }
    Map<MetaSplit, List<PackedClass>> result = java.util.Collections.unmodifiableMap(decoded);
    Map<MetaSplit, List<PackedClass>> raced = CACHE.putIfAbsent(key, result);
    return raced != null ? raced : result;
  }

  private static byte[] decode(Path file, int size) {
    try {
      return ImageDecoder.loadPixels(Files.readAllBytes(file), 3, size, file.toString());
    } catch (DatasetException e) {
      throw new UncheckedDatasetException(e);
    } catch (IOException e) {
      throw new UncheckedDatasetException(
          new DatasetException("cannot read image " + file + ": " + e, e));
    }
  }

  /** Carries a {@link DatasetException} out of a stream. */
  private static final class UncheckedDatasetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UncheckedDatasetException(DatasetException cause) {
      super(cause);
    }

    @Override
    public synchronized DatasetException getCause() {
      return (DatasetException) super.getCause();
    }
  }
}
