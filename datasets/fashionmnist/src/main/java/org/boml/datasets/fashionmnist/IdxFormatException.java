package org.boml.datasets.fashionmnist;

import java.io.IOException;
import java.nio.file.Path;

/** An IDX file that is not what it should be: wrong magic number, truncated, inconsistent. */
public final class IdxFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;

  /**
   * An error about a file.
   *
   * @param file the file, named first in the message
   * @param problem what is wrong with it
   */
  public IdxFormatException(Path file, String problem) {
    super(file + ": " + problem);
    this.file = file;
  }

  /**
   * The file the error is about.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }
}
