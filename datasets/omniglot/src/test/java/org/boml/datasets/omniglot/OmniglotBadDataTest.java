package org.boml.datasets.omniglot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;
import org.boml.api.Dataset;
import org.boml.api.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Damaged Omniglot data is refused when the dataset is opened, before any training, with an error
 * that names the directory, folder or file and says what to do.
 */
class OmniglotBadDataTest {
  @TempDir Path data;

  /** images_background/Alpha/character01..03, each with {@code images} 4x4 PNGs. */
  private Path writeCharacters(int images) throws IOException {
    Path alphabet = data.resolve("images_background").resolve("Alpha");
    for (int c = 1; c <= 3; c++) {
      Path character = Files.createDirectories(alphabet.resolve("character0" + c));
      for (int i = 0; i < images; i++) {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        image.getRaster().setSample(i % 4, c % 4, 0, 255);
        ImageIO.write(image, "png", character.resolve(c + "_" + i + ".png").toFile());
      }
    }
    return alphabet;
  }

  private DatasetException refused(Map<String, String> options) {
    return assertThrows(DatasetException.class, () -> open(options).close());
  }

  private Dataset open(Map<String, String> options) throws DatasetException {
    java.util.Map<String, String> all = new java.util.HashMap<>(options);
    all.putIfAbsent("data-dir", data.toString());
    all.put("split", "peer");
    all.putIfAbsent("rotations", "false");
    return new OmniglotProvider().open(all);
  }

  private static void assertMentions(Exception error, String... parts) {
    for (String part : parts) {
      assertTrue(error.getMessage().contains(part), "'" + part + "' in: " + error.getMessage());
    }
  }

  @Test
  void aMissingOrEmptyDataDirectoryIsNamed() {
    Path missing = data.resolve("nowhere");
    assertMentions(
        refused(Map.of("data-dir", missing.toString())), missing.toString(), "--data-dir");
    assertMentions(refused(Map.of()), data.toString(), "images_background", "--download");
  }

  @Test
  void anEmptyCharacterFolderIsNamed() throws IOException {
    Path alphabet = writeCharacters(2);
    Path empty = Files.createDirectories(alphabet.resolve("character04"));
    assertMentions(refused(Map.of()), empty.toString(), "holds no images");
  }

  @Test
  void aNonImageFileAmongTheImagesIsNamed() throws IOException {
    Path alphabet = writeCharacters(2);
    Path notes = Files.writeString(alphabet.resolve("character02").resolve("notes.txt"), "hi");
    assertMentions(refused(Map.of()), notes.toString(), "is not a PNG image", "remove it");
  }

  @Test
  void aCorruptPngIsNamed() throws IOException {
    Path alphabet = writeCharacters(2);
    Path image = alphabet.resolve("character03").resolve("3_1.png");
    byte[] bytes = Files.readAllBytes(image);
    Files.write(image, Arrays.copyOf(bytes, bytes.length / 2));
    assertMentions(refused(Map.of()), image.toString());
    byte[] noise = new byte[200];
    new Random(1).nextBytes(noise);
    Files.write(image, noise);
    assertMentions(refused(Map.of()), image.toString());
  }

  @Test
  void aTruncatedArchiveIsNamed() throws IOException {
    Path zip = data.resolve("images_evaluation.zip");
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry("images_evaluation/Beta/character01/1_1.png"));
      out.write(new byte[5000]);
      out.closeEntry();
    }
    byte[] bytes = Files.readAllBytes(zip);
    Files.write(zip, Arrays.copyOf(bytes, bytes.length - 40));
    assertMentions(refused(Map.of()), zip.toString(), "truncated or corrupt", "download it again");
  }

  /**
   * An archive entry that expands far beyond any Omniglot image (a decompression bomb: 64 MiB of
   * zeros in 64 KiB) is refused by name while it is read, before it fills the memory.
   */
  @Test
  void aDecompressionBombInTheArchiveIsRefusedByName() throws IOException {
    Path zip = data.resolve("images_background.zip");
    String entry = "images_background/Alpha/character01/1_1.png";
    try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
      out.putNextEntry(new ZipEntry(entry));
      byte[] zeros = new byte[1 << 20];
      for (int i = 0; i < 64; i++) {
        out.write(zeros);
      }
      out.closeEntry();
    }
    assertTrue(Files.size(zip) < 1 << 20, "compressed " + Files.size(zip));
    assertMentions(
        refused(Map.of()),
        zip + "!/" + entry,
        "expands to more than 16 MiB",
        "decompression bomb",
        "download it again");
  }

  /** A symbolic link that points to its own folder is named, not followed round and round. */
  @Test
  void aSymbolicLinkLoopIsNamed() throws IOException {
    Path alphabet = writeCharacters(2);
    Path loop = Files.createSymbolicLink(alphabet.resolve("character04"), Path.of("."));
    assertMentions(refused(Map.of()), loop.toString());
  }

  @Test
  void impossibleEpisodesNameTheOptionToLower() throws IOException, DatasetException {
    writeCharacters(3);
    DatasetException ways = refused(Map.of("ways", "4", "queries", "1"));
    assertMentions(ways, "4-way tasks need 4 classes", "--ways");
    DatasetException images = refused(Map.of("ways", "2", "shots", "2", "queries", "2"));
    assertMentions(images, "has 3 images but 2 shots + 2 queries need 4", "--shots or --queries");
    try (Dataset fits = open(Map.of("ways", "2", "shots", "1", "queries", "2"))) {
      assertEquals(2, fits.outputs(), "the same data with a possible episode opens");
    }
  }
}
