/**
 * The BOML command line: the {@code boml} commands ({@code org.boml.runtime.cli}, with {@code
 * check-plugin}, which runs the test kit's checks), the service interface through which other
 * modules add subcommands ({@code org.boml.runtime.cli.spi}), run directories and their
 * configuration, checkpoints and metrics ({@code org.boml.runtime.run}), learning-curve plots
 * ({@code org.boml.runtime.plot}) and the benchmark ({@code org.boml.runtime.bench}). It is the
 * only BOML module that needs picocli, Gson and AWT; the runtime core, {@code org.boml.runtime},
 * and the test kit need none of them.
 */
module org.boml.cli {
  requires transitive org.boml.runtime;
  requires transitive info.picocli;
  requires com.google.gson;
  requires java.desktop;
  requires org.apache.logging.log4j;
  requires org.boml.testkit;

  exports org.boml.runtime.cli.spi;
  exports org.boml.runtime.run;

  opens org.boml.runtime.cli to
      info.picocli;
  opens org.boml.runtime.cli.spi to
      info.picocli;
  opens org.boml.runtime.run to
      com.google.gson;

  uses org.boml.runtime.cli.spi.Subcommand;

  provides org.boml.runtime.cli.spi.Subcommand with
      org.boml.runtime.cli.CheckPluginCommand;
}
