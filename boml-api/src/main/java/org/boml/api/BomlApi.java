package org.boml.api;

/**
 * Facts about this API release.
 *
 * <p>{@link #VERSION} follows semantic versioning: a new minor version only adds (a plugin built
 * against {@code 1.0} runs on {@code 1.4}), a new major version may break plugins, and the runtime
 * refuses a plugin built against another major version.
 */
public final class BomlApi {
  /** The version of this API, {@code MAJOR.MINOR.PATCH}. */
  public static final String VERSION = "1.6.0";

  /** The module name plugins {@code require}. */
  public static final String MODULE = "org.boml.api";

  private BomlApi() {}
}
