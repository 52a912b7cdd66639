import AdminClient
import Logging
import ServiceLifecycle
import Streamer

/// `run`'s catch-up progress: while any time table is still reading the days its first cycle planned, a
/// "Catching up" line per such table every ``interval``; one "Caught up" line when none is left.
struct CatchUpReporter: Service {
    /// What to do after looking at the tables once.
    enum Step: Equatable {
        /// Nothing planned yet: look again later.
        case waiting
        /// These tables are behind: report them and look again later.
        case behind([BackfillProgress.Table])
        /// Every planned table has read its days: say so (if anything was reported) and stop.
        case caughtUp
    }

    let progress: BackfillProgress
    let logger: Logger
    /// How often to report. Default: 10 s.
    var interval: Duration = .seconds(10)

    /// The step for the tables as they are now (pure, for tests).
    static func step(_ tables: [BackfillProgress.Table]) -> Step {
        let planned = tables.filter { $0.daysTotal != nil }
        guard !planned.isEmpty else { return .waiting }
        let behind = planned.filter { !$0.failed && $0.daysDone < ($0.daysTotal ?? 0) }
        return behind.isEmpty ? .caughtUp : .behind(behind)
    }

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
            switch Self.step(await progress.tableProgress) {
            case .waiting:
                continue
            case .caughtUp:
                if reported { logger.info("Caught up") }
                return
            case .behind(let tables):
                reported = true
                for table in tables {
                    logger.info(
                        "Catching up",
                        metadata: [
                            "streamer.table": "\(table.table.name)",
                            "streamer.days": "\(table.daysDone)/\(table.daysTotal ?? 0)", "streamer.rows": "\(table.rows)",
                        ])
                }
            }
        }
    }
}
