package org.boml.runtime.cli;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;

/**
 * The character set Java uses for arguments and file names, which it takes from the locale ({@code
 * LC_ALL}, {@code LC_CTYPE}, {@code LANG}) at start. Under {@code LANG=POSIX} it is ASCII: a
 * non-ASCII path arrives as U+FFFD replacement characters and cannot be opened, so BOML refuses
 * such an argument with the fix (a UTF-8 locale), instead of an {@code InvalidPathException}.
 */
final class FileNameEncoding {
  /** The system property that holds the character set of file names and arguments. */
  private static final String PROPERTY = "sun.jnu.encoding";

  /** What Java puts where it could not decode a byte of an argument. */
  private static final char REPLACEMENT = '\uFFFD';

  private FileNameEncoding() {}

  /** Whether the file-name character set is UTF-8 (or unknown, when there is nothing to say). */
  private static boolean isUtf8() {
    String name = System.getProperty(PROPERTY);
    return name == null
        || !Charset.isSupported(name)
        || Charset.forName(name).equals(StandardCharsets.UTF_8);
  }

  /** The fix, naming the character set in use. */
  private static String fix() {
    return "the locale's character set for arguments and file names is "
        + System.getProperty(PROPERTY)
        + ", not UTF-8 (LANG=POSIX or C?). Run with a UTF-8 locale, e.g. LC_ALL=C.UTF-8 boml ..."
        + " (./boml switches to C.UTF-8 by itself where that locale is installed; 'locale -a'"
        + " lists them)";
  }

  /**
   * Refuses an argument that the locale's character set could not decode.
   *
   * @param args the command line
   * @throws IllegalArgumentException naming the argument and the fix
   */
  static void checkArguments(String[] args) {
    if (isUtf8()) {
      return;
    }
    for (String arg : args) {
      if (arg.indexOf(REPLACEMENT) >= 0) {
        throw new IllegalArgumentException(
            "argument '"
                + arg.replace(REPLACEMENT, '?')
                + "' holds characters that were lost before BOML saw them: "
                + fix());
      }
    }
  }

  /**
   * The fix to add to the message of an error caused by a path this locale cannot represent (one
   * from a configuration file or the environment), or an empty string.
   *
   * @param error the error a command ended with
   * @return a sentence to append, starting with "; ", or ""
   */
  static String hintFor(Throwable error) {
    if (isUtf8()) {
      return "";
    }
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof InvalidPathException) {
        return "; " + fix();
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return "";
  }
}
