package org.boml.runtime.cli;

import java.nio.file.Path;
import java.util.regex.Pattern;

/** Words of a command the user can paste into a POSIX shell, such as the command that resumes. */
final class Shell {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:@%+=,-]+");

  private Shell() {}

  /**
   * A path as one shell word: as it is when it has no special characters, else single-quoted.
   *
   * @param path the path
   * @return the word
   */
  static String quote(Path path) {
    String text = path.toString();
    return PLAIN.matcher(text).matches() ? text : "'" + text.replace("'", "'\\''") + "'";
  }
}
