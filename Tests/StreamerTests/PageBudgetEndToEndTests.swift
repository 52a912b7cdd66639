import AdminClient
import AdminSandbox
import Testing

@testable import Streamer

/// `--max-buffered-mib` against the sandbox and the mock cluster: a bound smaller than two pages serializes the
/// series' pages and loses nothing.
@Suite(.serialized) struct PageBudgetEndToEndTests {
    @Test(
        "with room for about one page, eight series still publish every row of every page once",
        arguments: StreamerConfiguration.DeliveryMode.allCases)
    func tightBudgetPublishesEverything(delivery: StreamerConfiguration.DeliveryMode) async throws {
        // 1,200 rows a day: two pages a day (1,000 + 200), the first about 0.9 MiB of events.
        let world = try await EndToEnd.start(days: 4) { $0.claudeCodeRowsPerDay = 1_200 }
        defer { Task { await world.stop() } }
        var configuration = world.configuration(delivery: delivery)
        configuration.tables = [.claudeCodeUsage]
        configuration.maxInFlight = 8
        configuration.maxBufferedBytes = 1 << 20
        let outcomes = try await world.makeStreamer(configuration).backfill()

        let expected = try await world.expectedRows(.claudeCodeUsage)
        let records = try await world.read(.claudeCodeUsage)
        #expect(expected.count == 4 * 1_200)
        #expect(records.count == expected.count, "one event per row")
        #expect(Set(records.map(\.keyText)) == Set(expected.map(\.keyText)), "every row, no key twice")
        #expect(outcomes[.claudeCodeUsage]?.rowsFetched == expected.count)
        #expect(outcomes[.claudeCodeUsage]?.pages == 8)
    }
}
