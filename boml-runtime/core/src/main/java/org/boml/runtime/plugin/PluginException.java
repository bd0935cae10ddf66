package org.boml.runtime.plugin;

/** A plugin that cannot be used: unknown, duplicated, incompatible, corrupt or failing. */
public class PluginException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * An error with an actionable message.
   *
   * @param message what is wrong, naming the plugin and its jar
   */
  public PluginException(String message) {
    super(message);
  }

  /**
   * An error with an actionable message and its cause.
   *
   * @param message what is wrong, naming the plugin and its jar
   * @param cause the underlying error
   */
  public PluginException(String message, Throwable cause) {
    super(message, cause);
  }
}
