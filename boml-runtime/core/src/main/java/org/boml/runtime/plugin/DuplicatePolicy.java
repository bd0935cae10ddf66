package org.boml.runtime.plugin;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One provider per kind and name: when two or more providers of one kind share a name, none of them
 * is used (which one a run would get would depend on the order of the module path), and one problem
 * names every class and its jar. Providers of different kinds may share a name.
 */
final class DuplicatePolicy {
  private DuplicatePolicy() {}

  /**
   * The providers whose kind and name no other provider has; one problem for each name that is
   * shared, in the order in which the names first appear.
   *
   * @param accepted the providers
   * @param problems where the refusals go
   * @return the providers with a name of their own, in their order
   */
  static List<PluginInfo> unique(List<PluginInfo> accepted, List<String> problems) {
    Map<String, List<PluginInfo>> byKey = new LinkedHashMap<>();
    for (PluginInfo info : accepted) {
      byKey.computeIfAbsent(info.kind() + "/" + info.name(), k -> new ArrayList<>()).add(info);
    }
    List<PluginInfo> unique = new ArrayList<>();
    byKey.forEach(
        (key, infos) -> {
          if (infos.size() == 1) {
            unique.add(infos.get(0));
          } else {
            problems.add(
                infos.size()
                    + " "
                    + infos.get(0).kind().name().toLowerCase(Locale.ROOT)
                    + " plugins are named '"
                    + infos.get(0).name()
                    + "': "
                    + infos.stream()
                        .map(i -> i.provider().getClass().getName() + " in " + i.location())
                        .collect(Collectors.joining(" and "))
                    + "; remove all but one");
          }
        });
    return unique;
  }
}
