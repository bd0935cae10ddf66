package org.boml.datasets.miniimagenet;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A small MiniImageNet in the exact Ravi and Larochelle layout, written at test time: {@value
 * #CLASSES} classes of {@value #PER_CLASS} uniform-colored 90x70 JPEGs in {@code images/}, and
 * {@code train.csv} / {@code val.csv} / {@code test.csv} listing classes 0-3, 4-5 and 6-7. Image
 * {@code k} of class {@code c} has red {@code 16 + 28 c}, green {@code 20 + 40 k} and a random
 * blue, so every image can be identified by its color after JPEG and resizing.
 */
final class Fixture {
  static final int CLASSES = 8;
  static final int PER_CLASS = 6;
  static final int WIDTH = 90;
  static final int HEIGHT = 70;

  private Fixture() {}

  static String label(int c) {
    return String.format("n%08d", 1530000 + 1111 * c);
  }

  static String file(int c, int k) {
    return label(c) + String.format("%08d", k + 1) + ".jpg";
  }

  static int red(int c) {
    return 16 + 28 * c;
  }

  static int green(int k) {
    return 20 + 40 * k;
  }

  /** The split of class c: 0-3 train, 4-5 val, 6-7 test. */
  static String csvOf(int c) {
    return c < 4 ? "train.csv" : c < 6 ? "val.csv" : "test.csv";
  }

  /** Writes the fixture into dir and returns dir. */
  static Path write(Path dir) {
    try {
      Path images = Files.createDirectories(dir.resolve("images"));
      Random random = new Random(42);
      List<String> train = new ArrayList<>(List.of("filename,label"));
      List<String> val = new ArrayList<>(List.of("filename,label"));
      List<String> test = new ArrayList<>(List.of("filename,label"));
      for (int c = 0; c < CLASSES; c++) {
        for (int k = 0; k < PER_CLASS; k++) {
          writeJpeg(images.resolve(file(c, k)), red(c), green(k), 60 + random.nextInt(140));
          String row = file(c, k) + "," + label(c);
          switch (csvOf(c)) {
            case "train.csv" -> train.add(row);
            case "val.csv" -> val.add(row);
            default -> test.add(row);
          }
        }
      }
      Files.write(dir.resolve("train.csv"), train, StandardCharsets.UTF_8);
      Files.write(dir.resolve("val.csv"), val, StandardCharsets.UTF_8);
      Files.write(dir.resolve("test.csv"), test, StandardCharsets.UTF_8);
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static void writeJpeg(Path file, int r, int g, int b) throws IOException {
    BufferedImage image = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    int rgb = (r << 16) | (g << 8) | b;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        image.setRGB(x, y, rgb);
      }
    }
    if (!ImageIO.write(image, "jpg", file.toFile())) {
      throw new IOException("no JPEG writer");
    }
  }

  /** The RGB of pixel (0, 0) as ImageIO decodes the file. */
  static int[] decodedColor(Path file) throws IOException {
    int rgb = ImageIO.read(file.toFile()).getRGB(0, 0);
    return new int[] {(rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF};
  }
}
