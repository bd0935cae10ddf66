package org.boml.datasets.omniglot;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import org.boml.api.DatasetException;

/**
 * Downloads the official Omniglot archives into a data directory on request and verifies their MD5
 * checksums (those published with the archives and used by torchvision). Each archive is written to
 * a {@code .part} file and moved into place only when complete and verified; an archive or folder
 * already present is left alone.
 */
final class ArchiveDownload {
  /** Where the official archives are published. */
  static final String OFFICIAL_BASE =
      "https://raw.githubusercontent.com/brendenlake/omniglot/master/python/";

  /** MD5 of the official archives. */
  static final Map<String, String> OFFICIAL_MD5 =
      Map.of(
          "images_background", "68d2efa1b9178cc56df9314c21c6e718",
          "images_evaluation", "6b91aef0f799c5bb55b94e3f2daec811");

  private final String base;
  private final Map<String, String> checksums;

  ArchiveDownload(String base, Map<String, String> checksums) {
    this.base = base;
    this.checksums = checksums;
  }

  /** Downloads every archive that is neither a folder nor a zip in {@code dataDir} yet. */
  void fetchMissing(Path dataDir) throws DatasetException {
    try {
      Files.createDirectories(dataDir);
    } catch (IOException e) {
      throw new DatasetException(
          "cannot create the data directory '" + dataDir + "': " + e.getMessage(), e);
    }
    for (Map.Entry<String, String> archive : new java.util.TreeMap<>(checksums).entrySet()) {
      String name = archive.getKey();
      if (Files.isDirectory(dataDir.resolve(name))
          || Files.isRegularFile(dataDir.resolve(name + ".zip"))) {
        continue;
      }
      fetch(name, archive.getValue(), dataDir);
    }
  }

  private void fetch(String name, String md5, Path dataDir) throws DatasetException {
    URI uri = URI.create(base + name + ".zip");
    Path target = dataDir.resolve(name + ".zip");
    Path partial = dataDir.resolve(name + ".zip.part");
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(20))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    try {
      HttpResponse<InputStream> response =
          client.send(
              HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
      if (response.statusCode() != 200) {
        response.body().close();
        throw new DatasetException(
            "downloading "
                + uri
                + " failed with HTTP status "
                + response.statusCode()
                + "; download it by hand into "
                + dataDir);
      }
      MessageDigest digest = MessageDigest.getInstance("MD5");
      try (InputStream in = new DigestInputStream(response.body(), digest)) {
        Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
      }
      String actual = HexFormat.of().formatHex(digest.digest());
      if (!actual.equals(md5)) {
        Files.deleteIfExists(partial);
        throw new DatasetException(
            "the download of "
                + uri
                + " has MD5 "
                + actual
                + " but the official archive has "
                + md5
                + "; the download is corrupt or the file changed, try again");
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      deleteQuietly(partial);
      throw new DatasetException(
          "cannot download "
              + uri
              + " ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + "); this machine may be offline. Download "
              + name
              + ".zip by hand from "
              + base
              + " into "
              + dataDir
              + " and run again without --download",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      deleteQuietly(partial);
      throw new DatasetException("download of " + uri + " interrupted", e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks MD5", e);
    }
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // the partial file is only a leftover; the error being reported matters more
    }
  }
}
