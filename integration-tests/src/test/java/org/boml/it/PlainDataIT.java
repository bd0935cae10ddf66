package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/**
 * Files are read as plain data: no class of BOML (runtime, plugins, datasets) nor of DJL's NDArray
 * encoding refers to Java object deserialization, so a checkpoint, configuration or dataset file
 * cannot make the JVM instantiate arbitrary classes.
 */
class PlainDataIT {
  private static final List<String> DESERIALIZERS =
      List.of("java/io/ObjectInputStream", "java/beans/XMLDecoder");

  @Test
  void noBomlOrNdArrayCodeDeserializesObjects() throws IOException {
    List<Path> jars = new ArrayList<>();
    for (Path jar : AppLayout.jars(AppLayout.modules())) {
      String name = jar.getFileName().toString();
      if (name.startsWith("boml-") || name.startsWith("api-")) {
        jars.add(jar);
      }
    }
    jars.addAll(AppLayout.jars(AppLayout.pluginDir()));
    assertTrue(jars.size() > 5, "the BOML jars and DJL's api jar: " + jars);
    List<String> offenders = new ArrayList<>();
    int classes = 0;
    for (Path jar : jars) {
      try (JarFile file = new JarFile(jar.toFile())) {
        Enumeration<JarEntry> entries = file.entries();
        while (entries.hasMoreElements()) {
          JarEntry entry = entries.nextElement();
          if (!entry.getName().endsWith(".class")) {
            continue;
          }
          boolean ndarray = entry.getName().startsWith("ai/djl/ndarray/");
          if (jar.getFileName().toString().startsWith("api-") && !ndarray) {
            continue;
          }
          classes++;
          String constants =
              new String(file.getInputStream(entry).readAllBytes(), StandardCharsets.ISO_8859_1);
          for (String type : DESERIALIZERS) {
            if (constants.contains(type)) {
              offenders.add(jar.getFileName() + "!/" + entry.getName() + " uses " + type);
            }
          }
        }
      }
    }
    assertTrue(classes > 100, "classes scanned: " + classes);
    assertEquals(List.of(), offenders);
  }
}
