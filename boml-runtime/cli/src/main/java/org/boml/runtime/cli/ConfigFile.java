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
import java.util.function.Supplier;
import org.boml.runtime.NearestName;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --config FILE} (or {@code --config=FILE}): a JSON object whose keys are a command's long
 * option names without the dashes, equal to giving those flags: {@code {"dataset": "omniglot",
 * "inner-steps": 5, "download": true, "dataset-option": {"split": "peer"}}}. Flags on the command
 * line override the file. One configuration file per command: a second {@code --config} is refused.
 *
 * <p>Every problem with the file is a one-line {@link CommandLine.ParameterException} naming the
 * file and the key: a key that is not an option of the command (with the nearest valid key), a
 * {@code null}, an array or object where the option takes one value, a switch that is not {@code
 * true} or {@code false}, and a value of the wrong type ({@code "inner-steps": "five"}), found by
 * parsing the file's flags on their own before the command line.
 */
final class ConfigFile {
  static final String OPTION = "--config";
  private static final String ATTACHED = OPTION + "=";

  private ConfigFile() {}

  /**
   * Replaces {@code --config FILE} in the arguments by the flags the file stands for, placed before
   * the other arguments of the subcommand so that explicit flags win.
   *
   * @param commandLines makes the command line, once to look up the subcommand's options and once
   *     to parse the file's flags alone
   * @param args the arguments as given
   * @return the expanded arguments
   * @throws CommandLine.ParameterException for a misplaced or repeated {@code --config}, an
   *     unreadable file, or a bad key or value in it
   */
  static String[] expand(Supplier<CommandLine> commandLines, String[] args) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals(OPTION) || args[i].startsWith(ATTACHED)) {
        at.add(i);
      }
    }
    if (at.isEmpty()) {
      return args;
    }
    CommandLine root = commandLines.get();
    int first = at.get(0);
    boolean attached = args[first].startsWith(ATTACHED);
    String name = attached ? args[first].substring(ATTACHED.length()) : null;
    if (first == 0 || !root.getSubcommands().containsKey(args[0])) {
      throw new CommandLine.ParameterException(
          root, OPTION + " FILE goes after a command, e.g. boml train --config run.json");
    }
    CommandLine command = root.getSubcommands().get(args[0]);
    if (!attached && first + 1 < args.length) {
      name = args[first + 1];
    }
    if (name == null || name.isEmpty()) {
      throw new CommandLine.ParameterException(
          command, OPTION + " needs a FILE, e.g. boml " + args[0] + " --config run.json");
    }
    if (at.size() > 1) {
      throw new CommandLine.ParameterException(
          command,
          OPTION
              + " is given "
              + at.size()
              + " times; give one configuration file (flags on the command line override its"
              + " keys)");
    }
    Path file = Path.of(name);
    List<String> flags = flags(command, file);
    check(commandLines.get(), args[0], flags, file);
    List<String> result = new ArrayList<>();
    result.add(args[0]);
    result.addAll(flags);
    int skipped = attached ? first : first + 1;
    for (int i = 1; i < args.length; i++) {
      if (i < first || i > skipped) {
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
          command,
          oneLine(
              "cannot read configuration file " + file + ": " + describe(e) + "; check the path"));
    } catch (JsonParseException | IllegalStateException e) {
      throw new CommandLine.ParameterException(
          command,
          oneLine("configuration file " + file + " is not a JSON object: " + e.getMessage()));
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
      new Entry(command, file, entry.getKey(), option).appendTo(flags, entry.getValue());
    }
    return flags;
  }

  /**
   * Parses the file's flags alone on a fresh command line, so that a value of the wrong type is
   * reported with the file and its key rather than as if it had been typed. Required options the
   * file does not give are left to the parse of the whole command line.
   */
  private static void check(CommandLine fresh, String subcommand, List<String> flags, Path file) {
    List<String> arguments = new ArrayList<>();
    arguments.add(subcommand);
    arguments.addAll(flags);
    try {
      fresh.parseArgs(arguments.toArray(new String[0]));
    } catch (CommandLine.MissingParameterException e) {
      // a required option that the command line may still give
    } catch (CommandLine.ParameterException e) {
      String key =
          e.getArgSpec() instanceof OptionSpec option
              ? "key '" + option.longestName().substring(2) + "' in " + file
              : "configuration file " + file;
      throw new CommandLine.ParameterException(
          e.getCommandLine(),
          oneLine(key + ": " + e.getMessage()),
          e,
          e.getArgSpec(),
          e.getValue());
    }
  }

  /** One key of the file, turned into flags. */
  private record Entry(CommandLine command, Path file, String key, OptionSpec option) {
    void appendTo(List<String> flags, JsonElement value) {
      String flag = "--" + key;
      if (value.isJsonNull()) {
        throw refused("is null; give a value or remove the key");
      }
      if (value.isJsonObject()) {
        if (!option.typeInfo().isMap()) {
          throw refused("is a JSON object, but --" + key + " takes " + takes());
        }
        for (Map.Entry<String, JsonElement> pair : value.getAsJsonObject().entrySet()) {
          flags.add(flag);
          flags.add(pair.getKey() + "=" + scalar(pair.getValue(), key + "." + pair.getKey()));
        }
      } else if (value.isJsonArray()) {
        if (!option.isMultiValue() || option.typeInfo().isMap()) {
          throw refused("is a JSON array, but --" + key + " takes " + takes());
        }
        int index = 0;
        for (JsonElement element : value.getAsJsonArray()) {
          flags.add(flag);
          flags.add(scalar(element, key + "[" + index++ + "]"));
        }
      } else if (option.arity().max() == 0) {
        if (!value.getAsJsonPrimitive().isBoolean()) {
          throw refused("is a switch: use true or false");
        }
        if (value.getAsBoolean()) {
          flags.add(flag);
        }
      } else {
        flags.add(flag);
        flags.add(scalar(value, key));
      }
    }

    private String scalar(JsonElement value, String where) {
      if (!value.isJsonPrimitive()) {
        throw new CommandLine.ParameterException(
            command,
            "key '"
                + where
                + "' in "
                + file
                + " is "
                + (value.isJsonNull()
                    ? "null"
                    : value.isJsonArray() ? "a JSON array" : "a JSON object")
                + " but must be a string, number or boolean");
      }
      return value.getAsString();
    }

    private String takes() {
      return option.typeInfo().isMap()
          ? "KEY=VALUE pairs: give an object of strings and numbers"
          : option.isMultiValue()
              ? "a list: give an array of strings and numbers"
              : "one value: give a string, number or boolean";
    }

    private CommandLine.ParameterException refused(String why) {
      return new CommandLine.ParameterException(
          command, "key '" + key + "' in " + file + " " + why);
    }
  }

  private static String describe(IOException e) {
    return e.getMessage() == null || e.getMessage().isBlank()
        ? e.getClass().getSimpleName()
        : e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String oneLine(String message) {
    return message.replaceAll("\\s*\\R\\s*", "; ");
  }
}
