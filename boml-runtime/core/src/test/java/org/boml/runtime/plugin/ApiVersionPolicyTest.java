package org.boml.runtime.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.boml.api.BomlApi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which API versions a runtime accepts: same major, minor no newer than its own. */
class ApiVersionPolicyTest {
  private static final ApiVersionPolicy RUNTIME_1_3 = new ApiVersionPolicy("1.3.0");

  private static PluginInfo builtAgainst(String apiVersion) {
    return new PluginInfo(
        FakeProviders.hypergradient("old", "0.9.1", apiVersion), "org.example.old", "/p/old.jar");
  }

  @ParameterizedTest(name = "API {0} on runtime 1.3.0 is accepted")
  @CsvSource({"1.3.0", "1.0.0", "1.2.7", "1.3.9", "1", "1.3", "1.3.0-SNAPSHOT", "1.0-rc1"})
  void theSameMajorAndAnOlderOrEqualMinorAreAccepted(String apiVersion) {
    assertEquals(Optional.empty(), RUNTIME_1_3.refusal(builtAgainst(apiVersion)));
  }

  /** The refusal of a plugin built against an API version, after the words naming the plugin. */
  private static String refusal(String apiVersion) {
    String refusal = RUNTIME_1_3.refusal(builtAgainst(apiVersion)).orElseThrow();
    String plugin = "hypergradient plugin 'old' 0.9.1 in /p/old.jar ";
    assertTrue(refusal.startsWith(plugin), refusal);
    return refusal.substring(plugin.length());
  }

  @ParameterizedTest(name = "API {0} on runtime 1.3.0: another major")
  @CsvSource({"2.0.0", "0.9.0", "2", "0.3.0"})
  void anotherMajorVersionIsRefused(String apiVersion) {
    assertEquals(
        "was built against BOML API "
            + apiVersion
            + " but this runtime provides API 1.3.0 (major versions must match); use a build of"
            + " the plugin for API 1.x",
        refusal(apiVersion));
  }

  @ParameterizedTest(name = "API {0} on runtime 1.3.0: a newer minor")
  @CsvSource({"1.4.0", "1.10.2", "1.4-SNAPSHOT"})
  void aNewerMinorVersionIsRefused(String apiVersion) {
    assertEquals(
        "was built against BOML API "
            + apiVersion
            + ", newer than this runtime's 1.3.0; upgrade BOML or use an older build of the plugin",
        refusal(apiVersion));
  }

  @ParameterizedTest(name = "API ''{0}'' says no version")
  @CsvSource({"unknown", "''", "one.two", "1.x", "v1.3.0"})
  void aPluginThatDoesNotSayItsVersionIsRefused(String apiVersion) {
    assertEquals(
        "does not say which BOML API version it was built against ('"
            + apiVersion
            + "'); rebuild it as a named module against org.boml.api 1.3.0",
        refusal(apiVersion));
  }

  @Test
  void acceptedKeepsTheOrderAndAddsOneProblemPerRefusal() {
    PluginInfo newer = builtAgainst("1.4.0");
    PluginInfo same = builtAgainst("1.3.0");
    PluginInfo older = builtAgainst("1.1.0");
    PluginInfo major = builtAgainst("2.0.0");
    List<String> problems = new ArrayList<>(List.of("an earlier refusal"));
    assertEquals(
        List.of(same, older), RUNTIME_1_3.accepted(List.of(newer, same, older, major), problems));
    assertEquals(
        List.of(
            "an earlier refusal",
            RUNTIME_1_3.refusal(newer).orElseThrow(),
            RUNTIME_1_3.refusal(major).orElseThrow()),
        problems);
  }

  @Test
  void theCurrentPolicyIsThatOfThisRuntimesApi() {
    PluginInfo own = builtAgainst(BomlApi.VERSION);
    assertEquals(Optional.empty(), ApiVersionPolicy.current().refusal(own));
    String major = BomlApi.VERSION.substring(0, BomlApi.VERSION.indexOf('.'));
    String nextMajor = (Integer.parseInt(major) + 1) + ".0.0";
    assertEquals(
        Optional.of(
            "hypergradient plugin 'old' 0.9.1 in /p/old.jar was built against BOML API "
                + nextMajor
                + " but this runtime provides API "
                + BomlApi.VERSION
                + " (major versions must match); use a build of the plugin for API "
                + major
                + ".x"),
        ApiVersionPolicy.current().refusal(builtAgainst(nextMajor)));
  }

  @Test
  void aRuntimeVersionWithoutNumbersIsAProgrammingError() {
    assertThrows(IllegalArgumentException.class, () -> new ApiVersionPolicy("unknown"));
  }
}
