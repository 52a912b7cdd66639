#if canImport(Glibc)
import Glibc
import Testing

@testable import Streamer

/// `streamer run` hands the memory the allocator holds free back to the system.
///
/// What it gives back is measured where nothing else allocates meanwhile: Benchmarks/results/fleet.txt (1,000
/// organizations: ~160 MiB resident after the first snapshots, 51 MiB after the release). Here, with other tests'
/// threads allocating in the same heaps at any moment, which pages end up resident is not the test's to decide;
/// that the release finds free memory to return after a fragmenting free is.
struct FreedMemoryTests {
    @Test("after heap memory is freed below a block still in use, the release finds pages to give back")
    func releasesFreedHeapMemory() throws {
        // 9 MiB in heap blocks (each below glibc's 128 KiB mmap threshold), touched, then one more as large after
        // them that stays in use, so the heap cannot shrink from its top when they are freed.
        let byteCount = 96 << 10
        let blocks = (0..<96).map { _ in malloc(byteCount)! }
        for block in blocks { memset(block, 0x5A, byteCount) }
        let pin = malloc(byteCount)!
        memset(pin, 0x5A, byteCount)
        defer { free(pin) }
        for block in blocks { free(block) }
        #expect(FreedMemory.release(), "malloc_trim reported nothing released after 9 MiB were freed")
    }
}
#endif
