package org.boml.runtime.plugin;

/**
 * A hypergradient module and lower-level dynamics (with a number of steps and a kind of problem)
 * that cannot work together, by what the plugins declare; see {@link Compatibility}.
 */
public class IncompatiblePluginsException extends PluginException {
  private static final long serialVersionUID = 1L;

  /**
   * An exception with a message that names both plugins and what is missing.
   *
   * @param message the message
   */
  public IncompatiblePluginsException(String message) {
    super(message);
  }
}
