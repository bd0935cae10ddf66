package org.boml.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class NearestNameTest {
  @Test
  void suggestsCloseNamesOnly() {
    List<String> names = List.of("rhg", "fmaml", "sinusoid", "omniglot");
    assertEquals(Optional.of("sinusoid"), NearestName.of("sinusiod", names));
    assertEquals(Optional.of("fmaml"), NearestName.of("FMAML", names));
    assertEquals(Optional.of("rhg"), NearestName.of("rgh", names));
    assertEquals(Optional.empty(), NearestName.of("imagenet", names));
    assertEquals("; did you mean 'omniglot'?", NearestName.hint("omniglott", names));
    assertEquals("", NearestName.hint("zzz", List.of()));
  }

  @Test
  void distanceIsLevenshtein() {
    assertEquals(3, NearestName.distance("kitten", "sitting"));
    assertEquals(0, NearestName.distance("", ""));
    assertEquals(4, NearestName.distance("", "four"));
  }
}
