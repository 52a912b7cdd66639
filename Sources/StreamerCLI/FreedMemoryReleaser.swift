import ServiceLifecycle
import Streamer

/// `run`'s housekeeping: gives the memory the allocator holds free back to the system every
/// ``FreedMemory/interval``, so the process shrinks back after a backfill or a fleet's first snapshots instead of
/// keeping its high-water mark for as long as it runs.
struct FreedMemoryReleaser: Service {
    var interval: Duration = FreedMemory.interval

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while !Task.isCancelled {
                    try await Task.sleep(for: interval)
                    FreedMemory.release()
                }
            }
        } catch is CancellationError {
            // Shutdown.
        }
    }
}
