package org.boml.runtime;

import java.util.Collection;
import java.util.Optional;

/** Suggests the closest valid name for a misspelt one ("did you mean ...?"). */
public final class NearestName {
  private NearestName() {}

  /**
   * The candidate with the smallest edit distance to {@code given}, if it is close enough to be a
   * plausible typo (at most a third of the longer name's length, and at least 1 edit allowed).
   *
   * @param given what the user typed
   * @param candidates the valid names
   * @return the suggestion, if any
   */
  public static Optional<String> of(String given, Collection<String> candidates) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : candidates) {
      int distance =
          distance(
              given.toLowerCase(java.util.Locale.ROOT),
              candidate.toLowerCase(java.util.Locale.ROOT));
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    if (best == null) {
      return Optional.empty();
    }
    int allowed = Math.max(1, Math.max(given.length(), best.length()) / 3);
    return bestDistance <= allowed ? Optional.of(best) : Optional.empty();
  }

  /**
   * A sentence fragment for error messages: {@code "; did you mean 'x'?"} or nothing.
   *
   * @param given what the user typed
   * @param candidates the valid names
   * @return the hint, possibly empty
   */
  public static String hint(String given, Collection<String> candidates) {
    return of(given, candidates).map(name -> "; did you mean '" + name + "'?").orElse("");
  }

  /**
   * Edit distance counting insertions, deletions, substitutions and swaps of neighbours as one edit
   * each (optimal string alignment), so "rgh" is one edit from "rhg".
   */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j - 1] + cost, Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1));
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
