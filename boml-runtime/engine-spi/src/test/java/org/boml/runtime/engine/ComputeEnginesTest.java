package org.boml.runtime.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class ComputeEnginesTest {
  private static ComputeEngine anEngine() {
    return (ComputeEngine)
        Proxy.newProxyInstance(
            ComputeEngine.class.getClassLoader(),
            new Class<?>[] {ComputeEngine.class},
            (proxy, method, args) -> {
              throw new UnsupportedOperationException(method.getName());
            });
  }

  @Test
  void withoutAnEngineJarTheErrorIsOneLineNamingTheJarToAdd() {
    // this module's tests run without boml-engine-pytorch, as a launcher missing its jar would
    IllegalStateException e = assertThrows(IllegalStateException.class, ComputeEngines::get);
    assertTrue(e.getMessage().contains("boml-engine-pytorch"), e.getMessage());
    assertTrue(e.getMessage().contains(ComputeEngine.class.getName()), e.getMessage());
    assertEquals(-1, e.getMessage().indexOf('\n'), e.getMessage());
  }

  @Test
  void theOneEngineFoundIsTheEngine() {
    ComputeEngine engine = anEngine();
    assertSame(engine, ComputeEngines.only(List.of(engine)));
  }

  @Test
  void severalEnginesAreRefusedByName() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> ComputeEngines.only(List.of(anEngine(), anEngine())));
    assertTrue(e.getMessage().startsWith("several compute engines found"), e.getMessage());
    assertTrue(e.getMessage().contains("keep one engine jar"), e.getMessage());
  }
}
