package org.boml.engine.pytorch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class NativeAllocatorTest {
  private static final String LIBC =
      "7f2a1c000000-7f2a1c028000 r--p 00000000 08:01 1234 /usr/lib/x86_64-linux-gnu/libc.so.6";

  @Test
  void aMappedTcmallocIsNamed() {
    List<String> maps =
        List.of(
            "55d0c0a00000-55d0c0a01000 r--p 00000000 08:01 42 /usr/lib/jvm/java-17/bin/java",
            "7f2a1b000000-7f2a1b020000 r-xp 00000000 08:01 77"
                + " /usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4.5.10",
            LIBC);
    assertEquals("tcmalloc", NativeAllocator.fromMaps(maps));
  }

  @Test
  void aMappedJemallocIsNamed() {
    assertEquals(
        "jemalloc",
        NativeAllocator.fromMaps(
            List.of(LIBC, "7f00-7f10 r-xp 00000000 08:01 9 /usr/lib/libjemalloc.so.2")));
  }

  @Test
  void withoutAnAllocatorLibraryTheCLibrarysMallocServes() {
    List<String> maps =
        List.of(
            LIBC,
            "7ffd5c1f0000-7ffd5c211000 rw-p 00000000 00:00 0 [stack]",
            "7f00-7f10 r-xp 00000000 08:01 9 /opt/app/libtcmallocator-helper.so",
            "7f2a1e000000-7f2a1e001000 rw-p 00000000 00:00 0");
    assertEquals("system", NativeAllocator.fromMaps(maps));
  }

  @Test
  void tcmallocsThreadCacheBoundIsGivenInMibWhereExact() {
    assertEquals(
        "tcmalloc (thread caches at most 4 MiB)",
        NativeAllocator.described("tcmalloc", OptionalLong.of(4L << 20)));
    assertEquals(
        "tcmalloc (thread caches at most 1000000 bytes)",
        NativeAllocator.described("tcmalloc", OptionalLong.of(1_000_000)));
    assertEquals("tcmalloc", NativeAllocator.described("tcmalloc", OptionalLong.empty()));
  }

  @Test
  void theDescriptionStartsWithTheAllocatorInUse() {
    String description = NativeAllocator.describe();
    assertEquals(NativeAllocator.inUse(), description.split(" ", 2)[0]);
  }

  @Test
  void thisProcessIsReadFromProc() {
    String expected =
        System.getenv().getOrDefault("LD_PRELOAD", "").contains("libtcmalloc")
            ? "tcmalloc"
            : "system";
    assertEquals(expected, NativeAllocator.inUse());
  }
}
