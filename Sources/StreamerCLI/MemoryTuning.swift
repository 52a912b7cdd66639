#if canImport(Glibc)
import Glibc
#endif

/// glibc allocator settings for the process, applied once at start.
///
/// A page's large buffers (the response body, its span map, the row and record arrays: 100 KiB to a few MiB
/// each) are allocated and freed on every page. By default glibc raises its mmap threshold to the largest block
/// freed so far (up to 32 MiB), so after the first page those buffers come from the arenas, which keep what they
/// free: the resident size then grows with the run. A fixed 128 KiB threshold keeps such buffers in their own
/// mappings, returned to the kernel when freed (Benchmarks/results/memory.txt: about 10 MiB less at 300k rows).
/// An explicit `MALLOC_MMAP_THRESHOLD_` in the environment wins.
enum MemoryTuning {
    /// The mmap threshold in bytes (glibc's initial default, pinned).
    static let mmapThreshold: Int32 = 128 << 10

    /// Applies the settings (glibc only; elsewhere nothing).
    static func apply(environment: [String: String]) {
        #if canImport(Glibc)
        guard environment["MALLOC_MMAP_THRESHOLD_"] == nil else { return }
        // `mallopt` is declared in <malloc.h>, which the Glibc module does not export: look it up by name
        // instead of adding C. `M_MMAP_THRESHOLD` is -3 there.
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(-3, mmapThreshold)
        #endif
    }
}
