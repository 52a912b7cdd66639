import AdminClient
import AdminSandbox
import Testing

@testable import Streamer

/// Guards the workaround in `Streamer.backfill`: Swift 6.3.1's optimiser miscompiles
/// `return (table, .success(try await …))` inside `do throws(…)` in a task-group child (a standalone
/// reproduction still returns another child's table under -O). A backfill must report every table's outcome and
/// failure under its own name; CI (`.ci/run`) runs the whole suite in release too, where a miscompile would show.
@Suite(.serialized) struct BackfillAttributionTests {
    @Test("each table's outcome is reported under its own table, every one of them")
    func outcomesUnderTheirTables() async throws {
        let world = try await EndToEnd.start(days: 3)
        defer { Task { await world.stop() } }
        let outcomes = try await world.makeStreamer().backfill()
        #expect(Set(outcomes.keys) == Set(AdminTable.allCases))
        for table in AdminTable.allCases {
            #expect(outcomes[table]?.rowsFetched == (try await world.expectedRows(table)).count, "\(table)")
        }
    }

    @Test("failed tables are named as themselves, and only they")
    func failuresUnderTheirTables() async throws {
        let world = try await EndToEnd.start(days: 3)
        defer { Task { await world.stop() } }
        await world.sandbox.inject(.malformedPage(count: 1, pathPrefix: "/v1/organizations/invites"))
        await world.sandbox.inject(.malformedPage(count: 1, pathPrefix: "/v1/organizations/cost_report"))
        do {
            _ = try await world.makeStreamer().backfill()
            Issue.record("the backfill should report invites and cost_report as failed")
        } catch let error as StreamerError {
            #expect(error.code == .tablesFailed)
            #expect(error.reason.hasPrefix("2 of \(AdminTable.allCases.count) tables were not published (cost_report: "))
            #expect(error.reason.contains("; invites: "))
            for table in AdminTable.allCases where table != .invites && table != .costReport {
                #expect(!error.reason.contains("(\(table.name): ") && !error.reason.contains("; \(table.name): "), "\(table)")
            }
        }
    }
}
