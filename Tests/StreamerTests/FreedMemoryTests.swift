#if canImport(Glibc)
import Glibc
import Testing

@testable import Streamer

/// `streamer run` hands the memory the allocator holds free back to the system.
struct FreedMemoryTests {
    /// How many of the whole pages in `start..<start + count` are resident.
    static func residentPages(_ start: UnsafeMutableRawPointer, count: Int) -> Int {
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        let first = (Int(bitPattern: start) + pageSize - 1) / pageSize * pageSize
        let end = (Int(bitPattern: start) + count) / pageSize * pageSize
        guard end > first else { return 0 }
        var vector = [UInt8](repeating: 0, count: (end - first) / pageSize)
        let status = mincore(UnsafeMutableRawPointer(bitPattern: first), end - first, &vector)
        #expect(status == 0)
        return vector.filter { $0 & 1 == 1 }.count
    }

    @Test("heap memory freed below a block still in use goes back to the system, which free() alone does not do")
    func releasesFreedHeapMemory() throws {
        // 9 MiB in heap blocks (each below glibc's 128 KiB mmap threshold), touched, then a small block after
        // them that stays in use, so the heap cannot shrink from its top when they are freed.
        let byteCount = 96 << 10
        let blocks = (0..<96).map { _ in malloc(byteCount)! }
        for block in blocks { memset(block, 0x5A, byteCount) }
        let pin = malloc(byteCount)!  // as large as they are, so it is cut from the heap's top, after them
        defer { free(pin) }
        let interior = blocks.map { ($0 + 4096, byteCount - 8192) }
        let touched = interior.reduce(0) { $0 + Self.residentPages($1.0, count: $1.1) }
        #expect(touched > 0)
        for block in blocks { free(block) }
        FreedMemory.release()
        let left = interior.reduce(0) { $0 + Self.residentPages($1.0, count: $1.1) }
        // Other tests' threads may reuse some of the freed memory meanwhile; most of it must be gone.
        #expect(left * 2 < touched, "\(left) of \(touched) freed pages still resident")
    }
}
#endif
