package org.boml.datasets.omniglot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import org.boml.api.DatasetException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --download against a local HTTP server on 127.0.0.1, and against nothing at all (offline). */
class ArchiveDownloadTest {
  private static final byte[] ARCHIVE = "pretend zip".getBytes(StandardCharsets.US_ASCII);

  private static HttpServer serve() throws Exception {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          boolean known = exchange.getRequestURI().getPath().endsWith("/images_background.zip");
          exchange.sendResponseHeaders(known ? 200 : 404, known ? ARCHIVE.length : -1);
          try (OutputStream out = exchange.getResponseBody()) {
            if (known) {
              out.write(ARCHIVE);
            }
          }
        });
    server.start();
    return server;
  }

  private static String base(HttpServer server) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/python/";
  }

  @Test
  void aVerifiedArchiveIsMovedIntoPlace(@TempDir Path dir) throws Exception {
    HttpServer server = serve();
    try {
      String md5 = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(ARCHIVE));
      new ArchiveDownload(base(server), Map.of("images_background", md5)).fetchMissing(dir);
      assertArrayEquals(ARCHIVE, Files.readAllBytes(dir.resolve("images_background.zip")));
      assertFalse(Files.exists(dir.resolve("images_background.zip.part")));
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aWrongChecksumOrStatusLeavesNothingBehind(@TempDir Path dir) throws Exception {
    HttpServer server = serve();
    try {
      DatasetException mismatch =
          assertThrows(
              DatasetException.class,
              () ->
                  new ArchiveDownload(base(server), Map.of("images_background", "0".repeat(32)))
                      .fetchMissing(dir));
      assertTrue(mismatch.getMessage().contains("MD5"), mismatch.getMessage());
      DatasetException missing =
          assertThrows(
              DatasetException.class,
              () ->
                  new ArchiveDownload(base(server), Map.of("images_evaluation", "0".repeat(32)))
                      .fetchMissing(dir));
      assertTrue(missing.getMessage().contains("404"), missing.getMessage());
      try (var files = Files.list(dir)) {
        assertTrue(files.findAny().isEmpty(), "no partial or unverified file is left");
      }
    } finally {
      server.stop(0);
    }
  }

  @Test
  void offlineFailsWithAMessageThatSaysWhatToDo(@TempDir Path dir) {
    DatasetException offline =
        assertThrows(
            DatasetException.class,
            () ->
                new ArchiveDownload("http://127.0.0.1:1/python/", ArchiveDownload.OFFICIAL_MD5)
                    .fetchMissing(dir));
    assertTrue(
        offline.getMessage().contains("offline")
            && offline.getMessage().contains("by hand")
            && offline.getMessage().contains(dir.toString()),
        offline.getMessage());
  }

  @Test
  void presentArchivesAreNotDownloadedAgain(@TempDir Path dir) throws Exception {
    Files.createDirectories(dir.resolve("images_background"));
    Files.writeString(dir.resolve("images_evaluation.zip"), "already here");
    new ArchiveDownload("http://127.0.0.1:1/python/", ArchiveDownload.OFFICIAL_MD5)
        .fetchMissing(dir);
    assertTrue(Files.readString(dir.resolve("images_evaluation.zip")).equals("already here"));
  }
}
