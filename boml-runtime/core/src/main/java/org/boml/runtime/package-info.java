/**
 * Process-level helpers that several of the runtime's packages share: starting DJL's PyTorch engine
 * offline, with actionable messages when it fails ({@link Engines}), parsing and checking {@code
 * --devices} ({@link Devices}), reading the native allocator in use and the resident memory from
 * {@code /proc} ({@link NativeAllocator}, {@link PeakMemory}), and "did you mean" suggestions for
 * misspelt names ({@link NearestName}). Nothing here knows about bilevel problems, plugins or
 * training.
 */
package org.boml.runtime;
