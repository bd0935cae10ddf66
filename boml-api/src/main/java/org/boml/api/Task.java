package org.boml.api;

import java.util.Objects;

/**
 * One task: the lower level adapts on {@link #train()}, the upper level is measured on {@link
 * #validation()} (the support and query sets of few-shot learning).
 *
 * @param train the split the lower-level objective {@code f} uses
 * @param validation the split the upper-level objective {@code F} uses
 */
public record Task(Split train, Split validation) {
  /**
   * Checks that both splits are present.
   *
   * @param train see the record description
   * @param validation see the record description
   */
  public Task {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(validation, "validation");
  }
}
