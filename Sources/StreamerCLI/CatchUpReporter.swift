import Logging
import ServiceLifecycle
import Streamer

/// `run`'s catch-up progress: while any time table is still reading the days its first cycle planned, a
/// "Catching up" line per such table every ``interval``; one "Caught up" line when none is left.
struct CatchUpReporter: Service {
    let progress: BackfillProgress
    let logger: Logger
    /// How often to report. Default: 10 s.
    var interval: Duration = .seconds(10)

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown { try await report() }
        } catch is CancellationError {
            // Shutdown.
        }
    }

    private func report() async throws {
        var reported = false
        while !Task.isCancelled {
            try await Task.sleep(for: interval)
            let behind = await progress.tableProgress.filter { table in
                guard let total = table.daysTotal else { return false }
                return table.daysDone < total && !table.failed
            }
            let planned = await progress.tableProgress.contains { $0.daysTotal != nil }
            if behind.isEmpty {
                if planned {
                    if reported { logger.info("Caught up") }
                    return
                }
                continue
            }
            reported = true
            for table in behind {
                logger.info(
                    "Catching up",
                    metadata: [
                        "streamer.table": "\(table.table)", "streamer.days": "\(table.daysDone)/\(table.daysTotal ?? 0)",
                        "streamer.rows": "\(table.rows)",
                    ])
            }
        }
    }
}
