package org.boml.datasets.omniglot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.boml.api.DatasetException;

/**
 * Finds Omniglot characters in a data directory, in the official layout: the folders {@code
 * images_background/}, {@code images_evaluation/}, {@code images_background_small1/}, {@code
 * images_background_small2/} or their {@code .zip} archives, each holding {@code
 * <Alphabet>/<characterNN>/<id>_<drawer>.png}. A character is keyed {@code Alphabet/characterNN}
 * and counted once even if several archives hold it (the subsets share Greek and Latin).
 */
final class CharacterSource {
  /**
   * The most bytes an image of an archive may expand to (an Omniglot image is about 1 KiB): a
   * larger entry is refused while it is read, so that a decompression bomb cannot fill the memory.
   */
  static final int MAX_IMAGE_BYTES = 16 << 20;

  /** The archives of the official distribution, in the order characters are taken from. */
  static final List<String> ARCHIVES =
      List.of(
          "images_background",
          "images_evaluation",
          "images_background_small1",
          "images_background_small2");

  /** One character: its key and its image files, sorted by name. */
  record CharacterFiles(String key, List<ImageFile> files) {}

  /** One image: where it is, and how to read it. */
  interface ImageFile {
    String describe();

    byte[] read() throws IOException;
  }

  private CharacterSource() {}

  /**
   * Every character in the directory, sorted by key.
   *
   * @throws DatasetException if the directory is missing, holds no archive, or a character folder
   *     is empty or holds a non-image file
   */
  static List<CharacterFiles> find(Path dataDir) throws DatasetException {
    if (!Files.isDirectory(dataDir)) {
      throw new DatasetException(
          "Omniglot data directory '"
              + dataDir
              + "' does not exist; pass the folder"
              + " that holds images_background(.zip) and images_evaluation(.zip) with --data-dir, or add --download");
    }
    Map<String, CharacterFiles> characters = new TreeMap<>();
    boolean found = false;
    for (String archive : ARCHIVES) {
      Path folder = dataDir.resolve(archive);
      Path zip = dataDir.resolve(archive + ".zip");
      if (Files.isDirectory(folder)) {
        found = true;
        fromFolder(folder, characters);
      } else if (Files.isRegularFile(zip)) {
        found = true;
        fromZip(zip, archive, characters);
      }
    }
    if (!found) {
      throw new DatasetException(
          "no Omniglot data in '"
              + dataDir
              + "': expected one of "
              + ARCHIVES
              + " as a folder or .zip; download the official archives (--download) or point --data-dir elsewhere");
    }
    return new ArrayList<>(characters.values());
  }

  private static void fromFolder(Path folder, Map<String, CharacterFiles> characters)
      throws DatasetException {
    for (Path alphabet : list(folder)) {
      if (!Files.isDirectory(alphabet) || hidden(alphabet)) {
        continue;
      }
      for (Path character : list(alphabet)) {
        if (!Files.isDirectory(character) || hidden(character)) {
          continue;
        }
        String key = alphabet.getFileName() + "/" + character.getFileName();
        if (characters.containsKey(key)) {
          continue;
        }
        List<ImageFile> files = new ArrayList<>();
        for (Path file : list(character)) {
          if (hidden(file)) {
            continue;
          }
          requireImage(file.toString(), Files.isRegularFile(file));
          files.add(new FolderImage(file));
        }
        requireNonEmpty(character.toString(), files);
        characters.put(key, new CharacterFiles(key, files));
      }
    }
  }

  private static void fromZip(Path zip, String archive, Map<String, CharacterFiles> characters)
      throws DatasetException {
    Map<String, List<ImageFile>> found = new TreeMap<>();
    try (ZipFile file = new ZipFile(zip.toFile())) {
      for (ZipEntry entry : java.util.Collections.list(file.entries())) {
        String[] parts = entry.getName().split("/", -1);
        if (entry.isDirectory()
            || parts[parts.length - 1].startsWith(".")
            || entry.getName().startsWith("__MACOSX/")) {
          continue;
        }
        if (parts.length != 4 || !parts[0].equals(archive)) {
          throw new DatasetException(
              "unexpected entry '"
                  + entry.getName()
                  + "' in "
                  + zip
                  + ": an Omniglot archive holds "
                  + archive
                  + "/<Alphabet>/<character>/<image>.png");
        }
        String where = zip + "!/" + entry.getName();
        requireImage(where, true);
        byte[] bytes;
        try (InputStream in = file.getInputStream(entry)) {
          bytes = in.readNBytes(MAX_IMAGE_BYTES + 1);
        }
        if (bytes.length > MAX_IMAGE_BYTES) {
          throw new DatasetException(
              where
                  + " expands to more than "
                  + (MAX_IMAGE_BYTES >> 20)
                  + " MiB, while an Omniglot image is about 1 KiB: the archive is not Omniglot's"
                  + " (a decompression bomb?); download it again");
        }
        found
            .computeIfAbsent(parts[1] + "/" + parts[2], k -> new ArrayList<>())
            .add(new ZipImage(where, bytes));
      }
    } catch (IOException e) {
      throw new DatasetException(
          "cannot read Omniglot archive "
              + zip
              + ": "
              + e.getMessage()
              + "; the file is truncated or corrupt, download it again",
          e);
    }
    found.forEach(
        (key, files) -> characters.putIfAbsent(key, new CharacterFiles(key, sorted(files))));
  }

  private static List<ImageFile> sorted(List<ImageFile> files) {
    List<ImageFile> copy = new ArrayList<>(files);
    copy.sort(java.util.Comparator.comparing(ImageFile::describe));
    return copy;
  }

  private static void requireImage(String where, boolean regular) throws DatasetException {
    if (!regular || !where.toLowerCase(java.util.Locale.ROOT).endsWith(".png")) {
      throw new DatasetException(
          "'"
              + where
              + "' is not a PNG image; an Omniglot character folder holds only"
              + " .png files: remove it");
    }
  }

  private static void requireNonEmpty(String where, List<ImageFile> files) throws DatasetException {
    if (files.isEmpty()) {
      throw new DatasetException(
          "character folder '" + where + "' holds no images; restore it or remove the folder");
    }
  }

  private static boolean hidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }

  private static List<Path> list(Path folder) throws DatasetException {
    try (Stream<Path> entries = Files.list(folder)) {
      return entries.sorted().toList();
    } catch (IOException e) {
      throw new DatasetException("cannot list '" + folder + "': " + e.getMessage(), e);
    }
  }

  private record FolderImage(Path path) implements ImageFile {
    @Override
    public String describe() {
      return path.toString();
    }

    @Override
    public byte[] read() throws IOException {
      return Files.readAllBytes(path);
    }
  }

  /** An image inside a zip archive, read with the archive's listing (PNGs are small). */
  private record ZipImage(String where, byte[] bytes) implements ImageFile {
    @Override
    public String describe() {
      return where;
    }

    @Override
    public byte[] read() {
      return bytes.clone();
    }
  }
}
