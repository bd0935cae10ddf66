package org.boml.datasets.miniimagenet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.boml.api.DatasetException;
import org.boml.api.MetaSplit;

/**
 * Reads the class split of MiniImageNet in the layout of Ravi and Larochelle (2017): a data
 * directory with {@code images/} and the files {@code train.csv}, {@code val.csv} and {@code
 * test.csv}, each a header line {@code filename,label} followed by rows such as {@code
 * n0153282900000005.jpg,n01532829}. Labels are the classes; the file a class is listed in decides
 * its meta-split. Within a split, classes are sorted by label and a class's images keep the order
 * of their rows. Blank lines are ignored; a byte order mark and Windows line ends are accepted.
 */
final class SplitFiles {
  /** The expected header line. */
  static final String HEADER = "filename,label";

  /** The folder that holds the image files. */
  static final String IMAGES = "images";

  /** The file of each meta-split. */
  static final Map<MetaSplit, String> FILES =
      Map.of(
          MetaSplit.TRAIN,
          "train.csv",
          MetaSplit.VALIDATION,
          "val.csv",
          MetaSplit.TEST,
          "test.csv");

  /** One class: its label and its image files, in row order. */
  record ClassFiles(String label, List<Path> files) {}

  /**
   * The parsed layout.
   *
   * @param classes the classes of each split, sorted by label
   * @param fingerprint a digest of the three csv files, so that a cache notices an edited split
   */
  record Layout(Map<MetaSplit, List<ClassFiles>> classes, String fingerprint) {}

  /** Where a row came from, for error messages. */
  private record Origin(String csv, int line) {
    @Override
    public String toString() {
      return csv + " line " + line;
    }
  }

  private SplitFiles() {}

  /**
   * Reads and checks the three csv files.
   *
   * @param dataDir the data directory
   * @return the classes of each split
   * @throws DatasetException if the directory, {@code images/} or a csv file is missing, a line is
   *     malformed, a row names a missing image, an image is listed twice, or a class is listed in
   *     two splits
   */
  static Layout read(Path dataDir) throws DatasetException {
    if (!Files.isDirectory(dataDir)) {
      throw new DatasetException(
          "MiniImageNet data directory '"
              + dataDir
              + "' does not exist; pass the folder"
              + " that holds images/, train.csv, val.csv and test.csv with --data-dir");
    }
    Path images = dataDir.resolve(IMAGES);
    if (!Files.isDirectory(images)) {
      throw new DatasetException(
          "MiniImageNet data directory '"
              + dataDir
              + "' has no "
              + IMAGES
              + "/ folder; it must hold the JPEG files named in train.csv, val.csv and test.csv");
    }
    MessageDigest digest = sha256();
    Map<String, Origin> imageOrigins = new HashMap<>();
    Map<String, Origin> labelOrigins = new HashMap<>();
    Map<MetaSplit, List<ClassFiles>> classes = new EnumMap<>(MetaSplit.class);
    for (MetaSplit split : MetaSplit.values()) {
      String name = FILES.get(split);
      Path csv = dataDir.resolve(name);
      if (!Files.isRegularFile(csv)) {
        throw new DatasetException(
            "MiniImageNet split file "
                + csv
                + " is missing; the data directory needs "
                + "train.csv, val.csv and test.csv (header '"
                + HEADER
                + "', one row per image)");
      }
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(csv);
      } catch (IOException e) {
        throw new DatasetException("cannot read " + csv + ": " + e.getMessage(), e);
      }
      digest.update(name.getBytes(StandardCharsets.UTF_8));
      digest.update(bytes);
      Map<String, List<Path>> byLabel = new TreeMap<>();
      String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\r\n|\r|\n", -1);
      String header = lines.length == 0 ? "" : stripBom(lines[0]).trim();
      if (!header.equals(HEADER)) {
        throw new DatasetException(
            csv
                + " line 1: expected the header '"
                + HEADER
                + "' but found '"
                + header
                + "'; a MiniImageNet split file starts with that line");
      }
      for (int i = 1; i < lines.length; i++) {
        String line = lines[i].trim();
        if (line.isEmpty()) {
          continue;
        }
        Origin origin = new Origin(csv.toString(), i + 1);
        String[] fields = line.split(",", -1);
        if (fields.length != 2
            || fields[0].isBlank()
            || fields[1].isBlank()
            || fields[0].contains("/")
            || fields[0].contains("\\")) {
          throw new DatasetException(
              origin
                  + " is malformed: '"
                  + line
                  + "'; each row is <file name in "
                  + IMAGES
                  + "/>,<label>, e.g. n0153282900000005.jpg,n01532829");
        }
        String file = fields[0].trim();
        String label = fields[1].trim();
        Origin earlier = imageOrigins.putIfAbsent(file, origin);
        if (earlier != null) {
          throw new DatasetException(
              "image "
                  + file
                  + " is listed twice, in "
                  + earlier
                  + " and "
                  + origin
                  + "; remove one of the rows");
        }
        Origin labelSeen = labelOrigins.putIfAbsent(label, origin);
        if (labelSeen != null && !labelSeen.csv().equals(origin.csv())) {
          throw new DatasetException(
              "class "
                  + label
                  + " is listed in two split files, "
                  + labelSeen
                  + " and "
                  + origin
                  + "; the meta-train, meta-validation and meta-test classes must be disjoint");
        }
        Path image = images.resolve(file);
        if (!Files.isRegularFile(image)) {
          throw new DatasetException(
              origin
                  + " names image "
                  + file
                  + " but "
                  + image
                  + " does not exist; restore the file or remove the row");
        }
        byLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(image);
      }
      List<ClassFiles> list = new ArrayList<>();
      byLabel.forEach((label, files) -> list.add(new ClassFiles(label, List.copyOf(files))));
      classes.put(split, List.copyOf(list));
    }
    return new Layout(classes, HexFormat.of().formatHex(digest.digest()));
  }

  /**
   * The name of a split for messages, e.g. {@code meta-train (train.csv)}.
   *
   * @param split the split
   * @return its description
   */
  static String describe(MetaSplit split) {
    return "meta-" + split.name().toLowerCase(Locale.ROOT) + " (" + FILES.get(split) + ")";
  }

  private static String stripBom(String line) {
    return line.startsWith("\uFEFF") ? line.substring(1) : line;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JVM lacks SHA-256", e);
    }
  }
}
