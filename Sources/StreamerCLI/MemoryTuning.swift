#if canImport(Glibc)
import Glibc
#endif

/// glibc allocator settings for the process, applied once at start.
///
/// - A page's large buffers (the response body, its span map, the row and record arrays: 100 KiB to a few MiB
///   each) are allocated and freed on every page. By default glibc raises its mmap threshold to the largest block
///   freed so far (up to 32 MiB), so after the first page those buffers come from the arenas, which keep what
///   they free: the resident size then grows with the run. A fixed 128 KiB threshold keeps such buffers in their
///   own mappings, returned to the kernel when freed (Benchmarks/results/memory.txt: about 10 MiB less at 300k
///   rows).
/// - glibc gives each thread that allocates an arena of its own (up to 8 per core), and an arena keeps the high
///   water of what was allocated in it. A page is decoded, encoded, produced and freed by whichever threads of
///   the cooperative pool and librdkafka run it, so every arena climbs to its own share of the pages in flight:
///   the non-main arenas grew from 15 to 47 MiB over a 400k-row backfill while the live heap stayed ~30 MB. One
///   arena holds the high water of the whole heap once (30 -> 40 MiB), at no cost in throughput measured on
///   two cores (memory.txt).
/// An explicit `MALLOC_MMAP_THRESHOLD_` or `MALLOC_ARENA_MAX` in the environment wins over its setting.
enum MemoryTuning {
    /// The mmap threshold in bytes (glibc's initial default, pinned).
    static let mmapThreshold: Int32 = 128 << 10

    /// How many malloc arenas the process may have.
    static let arenaLimit: Int32 = 1

    /// Applies the settings (glibc only; elsewhere nothing).
    static func apply(environment: [String: String]) {
        #if canImport(Glibc)
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export: look it up by name
        // instead of adding C. `M_MMAP_THRESHOLD` is -3 and `M_ARENA_MAX` -8 there.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
        let mallopt = unsafeBitCast(symbol, to: Mallopt.self)
        if environment["MALLOC_MMAP_THRESHOLD_"] == nil { _ = mallopt(-3, mmapThreshold) }
        if environment["MALLOC_ARENA_MAX"] == nil { _ = mallopt(-8, arenaLimit) }
        #endif
    }
}
