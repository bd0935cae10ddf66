package org.boml.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A hypergradient plugin built at test time: one provider class in a module of its own, compiled
 * with the system Java compiler against the boml-api and DJL api jars of {@link AppLayout}, and
 * packaged with its module descriptor, which records version {@value #VERSION}, as a jar. Its
 * {@code create} throws unless a body is given; {@code extraMembers} may replace {@code name()} or
 * {@code description()}.
 *
 * @param module the module's name, also the provider's package
 * @param className the provider's simple class name
 * @param pluginName what the provider's {@code name()} returns
 * @param extraMembers Java source of further members of the provider class, e.g. an override
 * @param createBody Java source of the body of {@code create(Options options)}
 */
record FixturePlugin(
    String module, String className, String pluginName, String extraMembers, String createBody) {
  /** The module version the jar records. */
  static final String VERSION = "1.2.3";

  /** The library module of {@link #buildWithoutItsLibrary}, also its package. */
  static final String LIBRARY = "org.example.library";

  /** A plugin whose {@code create} throws. */
  FixturePlugin(String module, String className, String pluginName, String extraMembers) {
    this(
        module,
        className,
        pluginName,
        extraMembers,
        "throw new UnsupportedOperationException(\"test fixture\");");
  }

  /**
   * Compiles the plugin in a scratch directory and writes {@code <module>.jar}.
   *
   * @param jarDirectory where the jar goes
   * @param scratch where sources and classes go
   * @return the jar
   * @throws IOException if a file cannot be written
   */
  Path buildInto(Path jarDirectory, Path scratch) throws IOException {
    return build(jarDirectory, scratch, "", List.of());
  }

  /**
   * Compiles the plugin against a library module, {@value #LIBRARY} with the class {@value
   * #LIBRARY}.Library and its {@code static String word()}, and writes {@code <module>.jar} without
   * the library, as a plugin whose author forgot to ship a jar it needs.
   *
   * @param jarDirectory where the plugin's jar goes (the library's stays in {@code scratch})
   * @param scratch where sources, classes and the library's jar go
   * @param optional whether the plugin requires the library only at compile time ({@code requires
   *     static}), so that it resolves and fails when it first uses the library's class
   * @return the plugin's jar
   * @throws IOException if a file cannot be written
   */
  Path buildWithoutItsLibrary(Path jarDirectory, Path scratch, boolean optional)
      throws IOException {
    Path sources = scratch.resolve(LIBRARY).resolve("src");
    Path classes = scratch.resolve(LIBRARY).resolve("classes");
    compile(
        classes,
        List.of(),
        write(
            sources.resolve("module-info.java"),
            "module " + LIBRARY + " {\n  exports " + LIBRARY + ";\n}\n"),
        write(
            sources.resolve(LIBRARY.replace('.', '/')).resolve("Library.java"),
            "package "
                + LIBRARY
                + ";\n\npublic final class Library {\n"
                + "  private Library() {}\n\n"
                + "  public static String word() { return \"library\"; }\n}\n"));
    return build(
        jarDirectory,
        scratch,
        "  requires " + (optional ? "static " : "") + LIBRARY + ";\n",
        List.of(classes));
  }

  private Path build(Path jarDirectory, Path scratch, String requires, List<Path> libraries)
      throws IOException {
    Path sources = scratch.resolve(module).resolve("src");
    Path classes = scratch.resolve(module).resolve("classes");
    Path moduleInfo = write(sources.resolve("module-info.java"), moduleInfo(requires));
    Path provider =
        write(
            sources.resolve(module.replace('.', '/')).resolve(className + ".java"),
            providerSource());
    compile(classes, libraries, moduleInfo, provider);
    return jar(classes, Files.createDirectories(jarDirectory).resolve(module + ".jar"));
  }

  private String moduleInfo(String requires) {
    return "module "
        + module
        + " {\n"
        + "  requires org.boml.api;\n"
        + requires
        + "  provides org.boml.api.HypergradientModuleProvider with "
        + module
        + "."
        + className
        + ";\n"
        + "}\n";
  }

  private String providerSource() {
    return "package "
        + module
        + ";\n"
        + "\n"
        + "import org.boml.api.HypergradientModule;\n"
        + "import org.boml.api.HypergradientModuleProvider;\n"
        + "import org.boml.api.Options;\n"
        + "\n"
        + "public final class "
        + className
        + " implements HypergradientModuleProvider {\n"
        + (extraMembers.contains(" name()")
            ? ""
            : "  @Override public String name() { return \"" + pluginName + "\"; }\n")
        + (extraMembers.contains(" description()")
            ? ""
            : "  @Override public String description() { return \"test fixture\"; }\n")
        + "  @Override public HypergradientModule create(Options options) {\n"
        + "    "
        + createBody
        + "\n"
        + "  }\n"
        + "  "
        + extraMembers
        + "\n"
        + "}\n";
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text);
  }

  private static void compile(Path classes, List<Path> libraries, Path... sources) {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<Path> modules = new ArrayList<>(libraries);
    modules.add(AppLayout.jar(AppLayout.modules(), "boml-api-"));
    modules.add(AppLayout.jar(AppLayout.modules(), "api-"));
    String modulePath = AppLayout.path(modules);
    List<String> arguments =
        new ArrayList<>(
            List.of(
                "--release",
                "17",
                "--module-version",
                VERSION,
                "--module-path",
                modulePath,
                "-d",
                classes.toString()));
    Stream.of(sources).map(Path::toString).forEach(arguments::add);
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    int status = javac.run(null, log, log, arguments.toArray(new String[0]));
    assertEquals(
        0,
        status,
        () -> "javac " + arguments + " failed:\n" + log.toString(StandardCharsets.UTF_8));
  }

  private static Path jar(Path classes, Path jar) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    List<Path> files;
    try (Stream<Path> walk = Files.walk(classes)) {
      files = walk.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest)) {
      for (Path path : files) {
        out.putNextEntry(new JarEntry(classes.relativize(path).toString().replace('\\', '/')));
        Files.copy(path, out);
        out.closeEntry();
      }
    }
    return jar;
  }
}
