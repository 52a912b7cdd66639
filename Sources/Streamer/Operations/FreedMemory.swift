#if canImport(Glibc)
import Glibc
#endif

/// Gives the memory the allocator holds free back to the system.
///
/// glibc returns freed heap memory to the kernel only from the top of the heap; what is freed below a block still
/// in use stays resident. After a burst (a backfill, a fleet's first snapshots) almost all of the heap is such
/// free memory: a 1,000-organization fleet held 157-167 MiB resident after its first snapshot with 3 MiB of it in
/// use, and 51 MiB once released (Benchmarks/results/fleet.txt). `streamer run` releases it every
/// ``interval`` (`malloc_trim(0)`, which hands the free pages inside the heap back with `MADV_DONTNEED`); a page
/// released while the streamer is busy is faulted in again when reused, a small cost at that period.
public enum FreedMemory {
    /// How often `streamer run` releases freed memory.
    public static let interval: Duration = .seconds(10)

    /// Releases the allocator's free memory to the system. Returns whether any was released (`false` where
    /// the C library has no `malloc_trim`).
    @discardableResult
    public static func release() -> Bool {
        guard let trim = mallocTrim else { return false }
        return trim(0) == 1
    }

    private typealias MallocTrim = @convention(c) (Int) -> Int32

    /// glibc's `malloc_trim`, looked up by name: `<malloc.h>` is not part of the Glibc module.
    private static let mallocTrim: MallocTrim? = {
        #if canImport(Glibc)
        guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: MallocTrim.self)
        #else
        return nil
        #endif
    }()
}
