package org.boml.runtime.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * Makes a lost write to standard output a failure. {@link PrintStream} swallows the {@link
 * IOException} of a full disk behind {@code > file} or of a closed descriptor ({@code >&-}), so a
 * command would print its JSON into nothing and still exit 0; {@link Main} checks standard output
 * after every command instead, in one place.
 */
final class StandardOutput {
  private static volatile Recording installed;

  private StandardOutput() {}

  /**
   * Replaces {@code System.out} by an equivalent stream (same descriptor, encoding and flushing)
   * that also remembers why a write failed, for the message.
   */
  static void install() {
    String encoding =
        System.getProperty("stdout.encoding", System.getProperty("sun.stdout.encoding"));
    Charset charset = encoding != null ? Charset.forName(encoding) : Charset.defaultCharset();
    Recording recording = new Recording(new FileOutputStream(FileDescriptor.out));
    System.setOut(new PrintStream(new BufferedOutputStream(recording, 128), true, charset));
    installed = recording;
  }

  /**
   * The exit code of a command once its standard output is checked: the command's own code, or 1
   * with a message on standard error when something written to standard output was lost.
   *
   * @param code the command's exit code
   * @param out standard output, flushed here
   * @param err where the message goes
   * @return {@code code}, or 1 if writing to {@code out} failed and {@code code} was 0
   */
  static int verified(int code, PrintStream out, PrintWriter err) {
    if (!out.checkError()) {
      return code;
    }
    Recording recording = installed;
    IOException failure = recording == null ? null : recording.failure;
    err.println(
        "boml: cannot write to standard output"
            + (failure == null ? "" : " (" + failure.getMessage() + ")")
            + ": what the command printed there is lost or incomplete; check where standard"
            + " output goes (a full disk, a closed descriptor or pipe)");
    err.flush();
    return code == 0 ? 1 : code;
  }

  /** Passes writes through and keeps the first failure. */
  private static final class Recording extends FilterOutputStream {
    private volatile IOException failure;

    Recording(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      try {
        out.write(b);
      } catch (IOException e) {
        throw remembered(e);
      }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      try {
        out.write(b, off, len);
      } catch (IOException e) {
        throw remembered(e);
      }
    }

    @Override
    public void flush() throws IOException {
      try {
        out.flush();
      } catch (IOException e) {
        throw remembered(e);
      }
    }

    private IOException remembered(IOException e) {
      if (failure == null) {
        failure = e;
      }
      return e;
    }
  }
}
