import AdminClient
import AdminSandbox
import Kafka
import Testing

@testable import Streamer

/// `usageGroupBy` end to end: the extra dimensions are requested (speed with its beta header), published as
/// columns and key fields, every served row once.
@Suite struct UsageGroupByEndToEndTests {
    @Test("usage_report grouped by context_window and speed publishes every row once under the 7-field key")
    func groupedBackfill() async throws {
        let world = try await EndToEnd.start(days: 3) { $0.usageResultsPerBucket = 6 }
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = [.usageReport]
        configuration.usageGroupBy = [.speed, .contextWindow]
        let outcomes = try await world.makeStreamer(configuration).backfill()
        let records = try await world.read(.usageReport)
        let definition = TableDefinition.usageReport(groupBy: [.contextWindow, .speed])
        let expected = try await world.sandbox.servedItems(.usageReport, usageGroupBy: [.contextWindow, .speed]).map {
            try definition.makeRow(from: $0.item, bucket: $0.bucket)
        }
        #expect(!expected.isEmpty)
        #expect(outcomes[.usageReport]?.rowsFetched == expected.count)
        #expect(records.count == expected.count)
        #expect(Set(records.map(\.keyText)) == Set(expected.map(\.keyText)))
        #expect(Set(records.compactMap(\.valueText)) == Set(expected.map(\.valueText)))
        let key = try #require(records.first.map { try JSONParser.parse($0.key ?? []) }?.objectValue)
        #expect(key.keys == ["bucket", "api_key_id", "workspace_id", "model", "service_tier", "context_window", "speed"])
        let usageRequests = await world.sandbox.requests().filter { $0.path == "/v1/organizations/usage_report/messages" }
        #expect(!usageRequests.isEmpty)
        #expect(usageRequests.allSatisfy { $0.headers["anthropic-beta"] == "fast-mode-2026-02-01" && $0.status == 200 })
    }
}
