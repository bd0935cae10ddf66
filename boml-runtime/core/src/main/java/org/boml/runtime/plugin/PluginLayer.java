package org.boml.runtime.plugin;

import java.lang.module.Configuration;
import java.lang.module.FindException;
import java.lang.module.ModuleFinder;
import java.lang.module.ResolutionException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The child {@link ModuleLayer} that holds the modules of plugin directories ({@link PluginJars}),
 * above the boot layer and with one class loader. A module that cannot be resolved on its own is
 * refused and the others are loaded.
 */
final class PluginLayer {
  private PluginLayer() {}

  /**
   * The layer of the plugin directories' modules.
   *
   * @param directories directories of plugin jars, possibly none
   * @param problems where the refusals go
   * @return the layer, or empty when there are no directories or no module is left to load
   * @throws PluginException if the runtime is on the class path, a directory does not exist, or the
   *     modules each resolve but not together
   */
  static Optional<ModuleLayer> of(List<Path> directories, List<String> problems) {
    if (directories.isEmpty()) {
      return Optional.empty();
    }
    if (!PluginLayer.class.getModule().isNamed()) {
      throw new PluginException(
          "Plugin directories "
              + directories
              + " need the BOML runtime on the module path (it is on the class path); use ./boml"
              + " or start java with --module-path");
    }
    Map<String, Path> jarsByModule = PluginJars.byModule(directories, problems);
    refuseUnresolvable(jarsByModule, problems);
    if (jarsByModule.isEmpty()) {
      return Optional.empty();
    }
    ModuleLayer boot = ModuleLayer.boot();
    try {
      Configuration configuration =
          boot.configuration()
              .resolveAndBind(finderOf(jarsByModule), ModuleFinder.of(), jarsByModule.keySet());
      return Optional.of(
          boot.defineModulesWithOneLoader(configuration, ClassLoader.getSystemClassLoader()));
    } catch (ResolutionException | FindException | LayerInstantiationException e) {
      throw new PluginException(
          "The plugin jars in " + directories + " cannot be loaded together: " + e.getMessage(), e);
    }
  }

  /**
   * Removes, with a problem naming its jar, every module that cannot be resolved on its own against
   * the boot layer and the other plugin jars: one that requires a module no jar provides (a library
   * the plugin did not ship), or one that requires such a module. What is left is loaded; only
   * modules that resolve alone but conflict with each other still fail together.
   */
  private static void refuseUnresolvable(Map<String, Path> jarsByModule, List<String> problems) {
    boolean removed = true;
    while (removed && !jarsByModule.isEmpty()) {
      removed = false;
      ModuleFinder finder = finderOf(jarsByModule);
      for (String module : List.copyOf(jarsByModule.keySet())) {
        try {
          ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(), Set.of(module));
        } catch (ResolutionException | FindException e) {
          Path jar = jarsByModule.remove(module);
          problems.add(
              "plugin jar "
                  + jar
                  + " (module '"
                  + module
                  + "') cannot be loaded: "
                  + e.getMessage()
                  + "; put the jars it needs into a plugin directory too, or remove it");
          removed = true;
        }
      }
    }
  }

  private static ModuleFinder finderOf(Map<String, Path> jarsByModule) {
    return ModuleFinder.of(jarsByModule.values().toArray(new Path[0]));
  }
}
