package org.boml.datasets.omniglot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.boml.api.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding Omniglot's characters in the official folders and zips, on small made-up layouts: what is
 * read, what is skipped, which copy wins, and the error for each malformed layout.
 */
class CharacterSourceTest {
  @TempDir Path data;

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  private static void file(Path path, String content) throws IOException {
    Files.createDirectories(path.getParent());
    Files.write(path, bytes(content));
  }

  /** Writes a zip whose entries are name to content, in the given (sorted) order. */
  private static void zip(Path zip, Map<String, String> entries) throws IOException {
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream stream = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        stream.putNextEntry(new ZipEntry(entry.getKey()));
        stream.write(bytes(entry.getValue()));
        stream.closeEntry();
      }
    }
  }

  private static Map<String, List<String>> describe(List<CharacterSource.CharacterFiles> found) {
    Map<String, List<String>> byKey = new TreeMap<>();
    for (CharacterSource.CharacterFiles character : found) {
      byKey.put(
          character.key(),
          character.files().stream()
              .map(f -> Path.of(f.describe().replace("!/", "/")).getFileName().toString())
              .collect(Collectors.toList()));
    }
    return byKey;
  }

  private String refusal(Class<? extends Throwable> type) {
    return assertThrows(type, () -> CharacterSource.find(data)).getMessage();
  }

  @Test
  void readsFoldersSortedByKeyAndNameSkippingHiddenEntries() throws Exception {
    Path background = data.resolve("images_background");
    file(background.resolve("Latin/character02/b.png"), "b");
    file(background.resolve("Latin/character02/a.png"), "a");
    file(background.resolve("Latin/character02/.DS_Store"), "hidden");
    file(background.resolve("Greek/character01/g.png"), "g");
    file(background.resolve(".hidden/character01/x.png"), "x");
    file(background.resolve("Greek/.cache/y.png"), "y");
    file(background.resolve("notes.txt"), "a file beside the alphabets is not an alphabet");

    List<CharacterSource.CharacterFiles> found = CharacterSource.find(data);

    assertEquals(
        Map.of(
            "Greek/character01", List.of("g.png"), "Latin/character02", List.of("a.png", "b.png")),
        describe(found));
    assertEquals("Greek/character01", found.get(0).key());
    assertArrayEquals(bytes("a"), found.get(1).files().get(0).read());
  }

  @Test
  void readsZipsSkippingDirectoriesHiddenFilesAndMacMetadata() throws Exception {
    Map<String, String> entries = new TreeMap<>();
    entries.put("__MACOSX/images_evaluation/Atlantean/character01/._b.png", "junk");
    entries.put("images_evaluation/", "");
    entries.put("images_evaluation/Atlantean/character01/b.png", "b");
    entries.put("images_evaluation/Atlantean/character01/a.png", "a");
    entries.put("images_evaluation/Atlantean/character01/.keep", "");
    entries.put("images_evaluation/Atlantean/character02/c.png", "c");
    zip(data.resolve("images_evaluation.zip"), entries);

    List<CharacterSource.CharacterFiles> found = CharacterSource.find(data);

    assertEquals(
        Map.of(
            "Atlantean/character01", List.of("a.png", "b.png"),
            "Atlantean/character02", List.of("c.png")),
        describe(found));
    CharacterSource.ImageFile image = found.get(0).files().get(0);
    assertTrue(
        image
            .describe()
            .endsWith("images_evaluation.zip!/images_evaluation/Atlantean/character01/a.png"),
        image.describe());
    byte[] read = image.read();
    assertArrayEquals(bytes("a"), read);
    read[0] = 'z';
    assertArrayEquals(bytes("a"), image.read(), "each read is a fresh copy");
  }

  @Test
  void aFolderWinsOverTheZipOfTheSameArchiveAndArchivesAreMerged() throws Exception {
    file(data.resolve("images_background/Latin/character01/from-folder.png"), "f");
    zip(
        data.resolve("images_background.zip"),
        Map.of("images_background/Latin/character01/from-zip.png", "z"));
    zip(
        data.resolve("images_evaluation.zip"),
        Map.of("images_evaluation/Kannada/character05/k.png", "k"));

    assertEquals(
        Map.of(
            "Kannada/character05", List.of("k.png"),
            "Latin/character01", List.of("from-folder.png")),
        describe(CharacterSource.find(data)));
  }

  @Test
  void aMissingDirectoryIsRefusedWithTheOptionsToFixIt() {
    data = data.resolve("absent");
    String message = refusal(DatasetException.class);
    assertTrue(message.contains("'" + data + "' does not exist"), message);
    assertTrue(message.contains("--data-dir") && message.contains("--download"), message);
  }

  @Test
  void aDirectoryWithoutAnyArchiveIsRefused() throws Exception {
    file(data.resolve("images_background_small3/Latin/character01/a.png"), "a");
    String message = refusal(DatasetException.class);
    assertTrue(message.startsWith("no Omniglot data in '" + data + "'"), message);
    assertTrue(message.contains("images_background"), message);
  }

  @Test
  void aFileThatIsNotAPngIsRefusedByName() throws Exception {
    file(data.resolve("images_background/Latin/character01/a.png"), "a");
    file(data.resolve("images_background/Latin/character01/readme.txt"), "?");
    String message = refusal(DatasetException.class);
    assertTrue(message.contains("readme.txt' is not a PNG image"), message);
  }

  @Test
  void aFolderInsideACharacterIsRefused() throws Exception {
    file(data.resolve("images_background/Latin/character01/nested.png/a.png"), "a");
    String message = refusal(DatasetException.class);
    assertTrue(message.contains("nested.png' is not a PNG image"), message);
  }

  @Test
  void anEmptyCharacterFolderIsRefused() throws Exception {
    file(data.resolve("images_background/Latin/character01/.DS_Store"), "hidden");
    String message = refusal(DatasetException.class);
    assertTrue(message.contains("character01' holds no images"), message);
  }

  /** The refusal of images_background.zip holding one entry. */
  private String refusalOfAZipWith(String entry) throws IOException {
    zip(data.resolve("images_background.zip"), Map.of(entry, "a"));
    return refusal(DatasetException.class);
  }

  @Test
  void zipEntriesOutsideTheOfficialLayoutOrNotPngAreRefused() throws Exception {
    String shallow = refusalOfAZipWith("images_background/Latin/a.png");
    assertTrue(shallow.startsWith("unexpected entry 'images_background/Latin/a.png'"), shallow);
    assertTrue(shallow.contains("images_background/<Alphabet>/<character>/<image>.png"), shallow);
    String otherArchive = refusalOfAZipWith("images_evaluation/Latin/character01/a.png");
    assertTrue(otherArchive.startsWith("unexpected entry 'images_evaluation/"), otherArchive);
    String gif = refusalOfAZipWith("images_background/Latin/character01/a.gif");
    assertTrue(gif.contains("a.gif' is not a PNG image"), gif);
  }

  @Test
  void aCorruptZipIsRefusedAsTruncatedOrCorrupt() throws Exception {
    file(data.resolve("images_background.zip"), "not a zip archive");
    DatasetException refused =
        assertThrows(DatasetException.class, () -> CharacterSource.find(data));
    assertTrue(
        refused.getMessage().startsWith("cannot read Omniglot archive"), refused.getMessage());
    assertTrue(refused.getMessage().contains("truncated or corrupt"), refused.getMessage());
    assertTrue(refused.getCause() instanceof IOException, String.valueOf(refused.getCause()));
  }
}
