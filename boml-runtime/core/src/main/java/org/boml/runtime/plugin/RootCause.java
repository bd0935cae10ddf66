package org.boml.runtime.plugin;

/** How the plugin layer quotes an error in a refusal: its message and, when nested, its root. */
final class RootCause {
  private RootCause() {}

  /**
   * The message of an error, followed by its innermost cause where it has one.
   *
   * @param error the error
   * @return e.g. {@code Provider ... could not be instantiated (java.lang.IllegalStateException:
   *     why)}
   */
  static String message(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error
        ? String.valueOf(error.getMessage())
        : error.getMessage() + " (" + root + ")";
  }
}
