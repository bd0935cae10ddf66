package org.boml.runtime.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.boml.runtime.NearestName;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE}: a JSON object whose keys are a command's long option names without the
 * dashes, equal to giving those flags: {@code {"dataset": "omniglot", "inner-steps": 5, "download":
 * true, "dataset-option": {"split": "peer"}}}. Flags on the command line override the file. A key
 * that is not an option of the command is an error naming the nearest valid key.
 */
final class ConfigFile {
  static final String OPTION = "--config";

  private ConfigFile() {}

  /**
   * Replaces {@code --config FILE} in the arguments by the flags the file stands for, placed before
   * the other arguments of the subcommand so that explicit flags win.
   *
   * @param root the command line, to look up the subcommand's options
   * @param args the arguments as given
   * @return the expanded arguments
   * @throws CommandLine.ParameterException for an unreadable file or an unknown key
   */
  static String[] expand(CommandLine root, String[] args) {
    int at = List.of(args).indexOf(OPTION);
    if (at < 0) {
      return args;
    }
    if (at + 1 >= args.length || at == 0 || !root.getSubcommands().containsKey(args[0])) {
      throw new CommandLine.ParameterException(
          root, OPTION + " FILE goes after a command, e.g. boml train --config run.json");
    }
    CommandLine command = root.getSubcommands().get(args[0]);
    List<String> flags = flags(command, Path.of(args[at + 1]));
    List<String> result = new ArrayList<>();
    result.add(args[0]);
    result.addAll(flags);
    for (int i = 1; i < args.length; i++) {
      if (i != at && i != at + 1) {
        result.add(args[i]);
      }
    }
    return result.toArray(new String[0]);
  }

  static List<String> flags(CommandLine command, Path file) {
    JsonObject object;
    try {
      object = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (IOException e) {
      throw new CommandLine.ParameterException(
          command, "cannot read configuration file " + file + ": " + e.getMessage());
    } catch (JsonParseException | IllegalStateException e) {
      throw new CommandLine.ParameterException(
          command, "configuration file " + file + " is not a JSON object: " + e.getMessage());
    }
    CommandSpec spec = command.getCommandSpec();
    List<String> flags = new ArrayList<>();
    for (Map.Entry<String, JsonElement> entry : object.entrySet()) {
      String flag = "--" + entry.getKey();
      OptionSpec option = spec.findOption(flag);
      if (option == null || flag.equals(OPTION)) {
        TreeSet<String> keys = new TreeSet<>();
        spec.options()
            .forEach(
                o -> {
                  if (o.longestName().startsWith("--")
                      && !o.longestName().equals(OPTION)
                      && !o.usageHelp()
                      && !o.versionHelp()) {
                    keys.add(o.longestName().substring(2));
                  }
                });
        throw new CommandLine.ParameterException(
            command,
            "unknown key '"
                + entry.getKey()
                + "' in "
                + file
                + NearestName.hint(entry.getKey(), keys)
                + " Valid keys: "
                + String.join(", ", keys));
      }
      append(flags, flag, option, entry.getValue(), file);
    }
    return flags;
  }

  private static void append(
      List<String> flags, String flag, OptionSpec option, JsonElement value, Path file) {
    if (value.isJsonObject()) {
      for (Map.Entry<String, JsonElement> pair : value.getAsJsonObject().entrySet()) {
        flags.add(flag);
        flags.add(pair.getKey() + "=" + pair.getValue().getAsString());
      }
    } else if (value.isJsonArray()) {
      for (JsonElement element : value.getAsJsonArray()) {
        flags.add(flag);
        flags.add(element.getAsString());
      }
    } else if (option.arity().max() == 0) {
      if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isBoolean()) {
        throw new IllegalArgumentException(
            "key '" + flag.substring(2) + "' in " + file + " is a switch: use true or false");
      }
      if (value.getAsBoolean()) {
        flags.add(flag);
      }
    } else {
      flags.add(flag);
      flags.add(value.getAsString());
    }
  }
}
