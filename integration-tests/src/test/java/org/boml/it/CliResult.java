package org.boml.it;

import static org.junit.jupiter.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.util.List;

/**
 * What one run of the command line did. Its {@link #toString()} shows the command and both outputs,
 * for assertion messages.
 *
 * @param command the full command line
 * @param exitCode the process's exit code
 * @param stdout everything it printed on standard output
 * @param stderr everything it printed on standard error
 */
record CliResult(List<String> command, int exitCode, String stdout, String stderr) {
  /** Standard output parsed as one JSON object; fails the test if it is not one. */
  JsonObject json() {
    try {
      return JsonParser.parseString(stdout).getAsJsonObject();
    } catch (JsonParseException | IllegalStateException e) {
      return fail("standard output is not a JSON object (" + e.getMessage() + ")\n" + this);
    }
  }

  @Override
  public String toString() {
    return "\n$ "
        + String.join(" ", command)
        + "\nexit code "
        + exitCode
        + "\n--- stdout ---\n"
        + stdout
        + "\n--- stderr ---\n"
        + stderr;
  }
}
