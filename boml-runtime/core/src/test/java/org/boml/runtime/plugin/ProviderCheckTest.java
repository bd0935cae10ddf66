package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.boml.api.OptionSpec;
import org.junit.jupiter.api.Test;

/** The questions every provider must answer before it is used. */
class ProviderCheckTest {
  private static String fine() {
    return "fine";
  }

  private static List<OptionSpec> none() {
    return List.of();
  }

  @Test
  void aProviderThatAnswersEveryQuestionPasses() {
    assertEquals(
        Optional.empty(),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(
                ProviderCheckTest::fine, ProviderCheckTest::fine, ProviderCheckTest::none)));
  }

  @Test
  void providersWhoseMetadataThrowsOrIsNullAreRefusedSayingWhich() {
    Supplier<String> throwing =
        () -> {
          throw new IllegalStateException("no name today");
        };
    assertEquals(
        Optional.of("its name() threw java.lang.IllegalStateException: no name today"),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(
                throwing, ProviderCheckTest::fine, ProviderCheckTest::none)));
    assertEquals(
        Optional.of("its name() returned null, its description() returned null"),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(() -> null, () -> null, ProviderCheckTest::none)));
    assertEquals(
        Optional.of("its name() is blank"),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(
                () -> " ", ProviderCheckTest::fine, ProviderCheckTest::none)));
    assertEquals(
        Optional.of("its options() returned null"),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(
                ProviderCheckTest::fine, ProviderCheckTest::fine, () -> null)));
    assertEquals(
        Optional.of("its options() holds null"),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(
                ProviderCheckTest::fine,
                ProviderCheckTest::fine,
                () -> Arrays.asList((OptionSpec) null))));
    assertEquals(
        Optional.of("its description() threw java.lang.NullPointerException"),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(
                ProviderCheckTest::fine,
                () -> {
                  throw new NullPointerException();
                },
                ProviderCheckTest::none)));
  }

  @Test
  void aThrowingAnswerIsQuotedWithItsRootCause() {
    Supplier<String> wrapped =
        () -> {
          throw new IllegalStateException(
              "no description", new java.io.UncheckedIOException(new java.io.IOException("disk")));
        };
    assertEquals(
        Optional.of(
            "its description() threw java.lang.IllegalStateException: no description"
                + " (java.io.IOException: disk)"),
        ProviderCheck.misbehaviour(
            FakeProviders.hypergradient(
                ProviderCheckTest::fine, wrapped, ProviderCheckTest::none)));
  }

  @Test
  void versionsThatAreNullAreRefused() {
    assertEquals(
        Optional.of("its version() returned null, its apiVersion() returned null"),
        ProviderCheck.misbehaviour(FakeProviders.hypergradient("versionless", null, null)));
  }
}
