import AdminClient
import Foundation
import Testing

@testable import Streamer
@testable import StreamerCLI

/// `run` reports catch-up while a time table is behind the days it planned, and stops once none is.
@Suite struct CatchUpReporterTests {
    func table(_ table: AdminTable, days: Int?, done: Int = 0, failed: Bool = false) -> BackfillProgress.Table {
        var entry = BackfillProgress.Table(table: table, daysTotal: days, startedAt: Date(timeIntervalSince1970: 0))
        entry.daysDone = done
        entry.failed = failed
        return entry
    }

    @Test("nothing planned yet (state tables only, or before the first plan): wait")
    func waiting() {
        #expect(CatchUpReporter.step([]) == .waiting)
        #expect(CatchUpReporter.step([table(.users, days: nil)]) == .waiting)
    }

    @Test("a time table with days left is behind; a finished or failed one is not")
    func behind() {
        let tables = [
            table(.claudeCodeUsage, days: 400, done: 120), table(.costReport, days: 400, done: 400),
            table(.usageReport, days: 400, done: 3, failed: true), table(.users, days: nil),
        ]
        #expect(CatchUpReporter.step(tables) == .behind([tables[0]]))
    }

    @Test("every planned table at its planned days: caught up")
    func caughtUp() {
        #expect(CatchUpReporter.step([table(.claudeCodeUsage, days: 3, done: 3), table(.users, days: nil)]) == .caughtUp)
    }
}
