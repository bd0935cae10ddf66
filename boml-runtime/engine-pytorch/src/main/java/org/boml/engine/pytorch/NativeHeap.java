package org.boml.engine.pytorch;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Structure;
import java.util.List;
import java.util.OptionalLong;

/**
 * The bytes of native memory this process has allocated with {@code malloc} and not freed, as its
 * allocator counts them: tcmalloc's {@code generic.current_allocated_bytes} where tcmalloc serves
 * the process (the {@code boml} launcher's default), glibc's {@code mallinfo2()} (bytes in use in
 * the arenas plus those in separately mapped blocks) otherwise. Unlike the resident set size, the
 * count rises by exactly what is allocated, whatever the allocator keeps cached from earlier frees,
 * so the difference between two readings measures what the code in between keeps. libtorch
 * allocates every CPU tensor, and every node of an autograd graph, this way.
 */
final class NativeHeap {
  private static final String TCMALLOC_PROPERTY = "MallocExtension_GetNumericProperty";
  private static final String GLIBC_MALLINFO2 = "mallinfo2";

  private NativeHeap() {}

  /**
   * The allocated bytes now.
   *
   * @return bytes, or empty where neither tcmalloc nor glibc 2.33 or later serves {@code malloc}
   */
  static OptionalLong allocatedBytes() {
    NativeLibrary process = process();
    if (process == null) {
      return OptionalLong.empty();
    }
    Function tcmalloc = function(process, TCMALLOC_PROPERTY);
    if (tcmalloc != null) {
      return property(tcmalloc, "generic.current_allocated_bytes");
    }
    Function mallinfo2 = function(process, GLIBC_MALLINFO2);
    if (mallinfo2 != null) {
      MallInfo2 info = (MallInfo2) mallinfo2.invoke(MallInfo2.class, new Object[0]);
      return OptionalLong.of(info.uordblks + info.hblkhd);
    }
    return OptionalLong.empty();
  }

  /**
   * One of tcmalloc's numeric properties ({@code MallocExtension::GetNumericProperty}), e.g. {@code
   * tcmalloc.max_total_thread_cache_bytes}.
   *
   * @param name the property
   * @return its value, or empty where tcmalloc does not serve the process or does not know the name
   */
  static OptionalLong tcmallocProperty(String name) {
    NativeLibrary process = process();
    Function tcmalloc = process == null ? null : function(process, TCMALLOC_PROPERTY);
    return tcmalloc == null ? OptionalLong.empty() : property(tcmalloc, name);
  }

  /** Calls tcmalloc's {@code MallocExtension_GetNumericProperty} for one property. */
  private static OptionalLong property(Function tcmalloc, String name) {
    try (Memory value = new Memory(Long.BYTES)) {
      int found = tcmalloc.invokeInt(new Object[] {name, value});
      return found != 0 ? OptionalLong.of(value.getLong(0)) : OptionalLong.empty();
    }
  }

  private static NativeLibrary process() {
    try {
      return NativeLibrary.getProcess();
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return null;
    }
  }

  private static Function function(NativeLibrary library, String name) {
    try {
      return library.getFunction(name);
    } catch (UnsatisfiedLinkError e) {
      return null;
    }
  }

  /**
   * glibc's {@code struct mallinfo2}, returned by value; every field a {@code size_t}. Public for
   * JNA, which fills it by reflection.
   */
  public static final class MallInfo2 extends Structure implements Structure.ByValue {
    /** Non-mmapped space allocated from the system. */
    public long arena;

    /** Free chunks. */
    public long ordblks;

    /** Free fastbin blocks. */
    public long smblks;

    /** Mapped regions. */
    public long hblks;

    /** Bytes in mapped regions. */
    public long hblkhd;

    /** Unused, always 0. */
    public long usmblks;

    /** Bytes in freed fastbin blocks. */
    public long fsmblks;

    /** Bytes allocated in the arenas and in use. */
    public long uordblks;

    /** Free bytes in the arenas. */
    public long fordblks;

    /** Releasable bytes at the top of the heap. */
    public long keepcost;

    /** An empty structure, for JNA. */
    public MallInfo2() {
      super();
    }

    @Override
    protected List<String> getFieldOrder() {
      return List.of(
          "arena",
          "ordblks",
          "smblks",
          "hblks",
          "hblkhd",
          "usmblks",
          "fsmblks",
          "uordblks",
          "fordblks",
          "keepcost");
    }
  }
}
