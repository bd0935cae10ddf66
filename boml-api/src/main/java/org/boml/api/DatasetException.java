package org.boml.api;

/** Data that is missing, corrupt or does not fit the requested options. */
public class DatasetException extends Exception {
  private static final long serialVersionUID = 1L;

  /**
   * An error with an actionable message.
   *
   * @param message what is wrong, naming the file or option, and how to fix it
   */
  public DatasetException(String message) {
    super(message);
  }

  /**
   * An error with an actionable message and its cause.
   *
   * @param message what is wrong, naming the file or option, and how to fix it
   * @param cause the underlying error
   */
  public DatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
