package org.boml.datasets.omniglot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.boml.api.DatasetProvider;
import org.boml.api.OptionSpec;
import org.boml.api.Options;
import org.boml.datasets.fewshot.ImageClass;
import org.boml.datasets.fewshot.ImageDecoder;

/**
 * Provides Omniglot as dataset {@code omniglot}: characters are classes; images (105x105) are
 * downsampled with Pillow-compatible Lanczos antialiasing to {@code image-size} (28) and inverted
 * so strokes are 1. Decoded images are cached for the life of the JVM, per directory and size.
 */
public final class OmniglotProvider implements DatasetProvider {
  private static final ConcurrentHashMap<String, List<ImageClass>> CACHE =
      new ConcurrentHashMap<>();

  @Override
  public String name() {
    return "omniglot";
  }

  @Override
  public String description() {
    return "Omniglot handwritten characters (official folders or zips), N-way K-shot classification";
  }

  @Override
  public String defaultModel() {
    return "convnet";
  }

  @Override
  public List<OptionSpec> options() {
    return List.of(
        new OptionSpec(
            "data-dir",
            "",
            "folder holding images_background(.zip), images_evaluation(.zip) or the small subsets"),
        new OptionSpec(
            "download",
            "false",
            "download the official archives into data-dir first (needs the network)"),
        new OptionSpec("ways", "5", "classes per task (N)"),
        new OptionSpec("shots", "1", "training images per class (K)"),
        new OptionSpec("queries", "15", "validation images per class"),
        new OptionSpec("image-size", "28", "images are resized to this height and width"),
        new OptionSpec(
            "rotations",
            "true",
            "add 90/180/270-degree rotations of meta-train characters as classes"),
        new OptionSpec(
            "split",
            "boml",
            "boml: seeded 1200/100/323 proportions; peer: the reference benchmark's split"),
        new OptionSpec("split-seed", "0", "seed of the boml split"));
  }

  @Override
  public Dataset open(Options options) throws DatasetException {
    String dir = options.get("data-dir");
    if (dir.isBlank()) {
      throw new DatasetException(
          "omniglot needs a data directory: --data-dir DIR (with --download to fetch the"
              + " official archives into it)");
    }
    Path dataDir = Path.of(dir);
    if (bool(options, "download")) {
      new ArchiveDownload(ArchiveDownload.OFFICIAL_BASE, ArchiveDownload.OFFICIAL_MD5)
          .fetchMissing(dataDir);
    }
    int size = options.getInt("image-size", 4);
    List<ImageClass> characters = load(dataDir, size);
    ClassSplit split =
        ClassSplit.valueOf(
            options.getChoice("split", Set.of("boml", "peer")).toUpperCase(Locale.ROOT));
    return new OmniglotDataset(
        characters,
        split,
        Long.parseLong(options.get("split-seed").trim()),
        bool(options, "rotations"),
        options.getInt("ways", 2),
        options.getInt("shots", 1),
        options.getInt("queries", 1),
        size);
  }

  private static boolean bool(Options options, String key) {
    return Boolean.parseBoolean(options.getChoice(key, Set.of("true", "false")));
  }

  /** Decodes every character once per JVM (in parallel), in key order. */
  static List<ImageClass> load(Path dataDir, int size) throws DatasetException {
    String key = dataDir.toAbsolutePath().normalize() + "#" + size;
    List<ImageClass> cached = CACHE.get(key);
    if (cached != null) {
      return cached;
    }
    List<CharacterSource.CharacterFiles> characters = CharacterSource.find(dataDir);
    List<ImageClass> decoded = new ArrayList<>(characters.size());
    try {
      characters.parallelStream().map(c -> decode(c, size)).forEachOrdered(decoded::add);
    } catch (UncheckedDatasetException e) {
      throw e.getCause();
    }
    CACHE.put(key, List.copyOf(decoded));
    return decoded;
  }

  private static ImageClass decode(CharacterSource.CharacterFiles character, int size) {
    List<byte[]> images = new ArrayList<>(character.files().size());
    for (CharacterSource.ImageFile file : character.files()) {
      try {
        images.add(ImageDecoder.loadPixels(file.read(), 1, size, file.describe()));
      } catch (DatasetException e) {
        throw new UncheckedDatasetException(e);
      } catch (IOException e) {
        throw new UncheckedDatasetException(
            new DatasetException("cannot read " + file.describe() + ": " + e.getMessage(), e));
      }
    }
    return new ImageClass(character.key(), images, true, 0);
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
