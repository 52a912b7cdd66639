import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Testing

@testable import Streamer

/// Time tables keep the fingerprints of their settling days in the state topic, not in the checkpoint.
@Suite(.serialized) struct TimeTableStateEndToEndTests {
    @Test("a time table's settle window lives in the state topic: the checkpoint stays small, and days leave the state as they become final")
    func settleWindowInStateTopic() async throws {
        let world = try await EndToEnd.start(days: 5) { $0.claudeCodeRowsPerDay = 300 }
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage]
        let started = Date()
        _ = try await Streamer.make(
            configuration: configuration, apiKey: try world.apiKey, now: { started }, logger: world.logger
        ).backfill()

        let lastFinal = CalendarDay(containing: started).adding(days: -configuration.settleDays)
        let settling = try await world.expectedRows(.claudeCodeUsage).filter { row in
            TablePoller.day(ofRowKey: row.keyText).map { $0 > lastFinal } ?? false
        }
        #expect(!settling.isEmpty, "the sandbox serves rows for the settling days")
        #expect(try await liveState(world, configuration) == Set(settling.map(\.keyText)), "one state record per settling row")
        let checkpoints = try await world.read(topic: configuration.effectiveCheckpointTopic)
        let largest = checkpoints.map { $0.value?.count ?? 0 }.max() ?? 0
        #expect(largest > 0 && largest <= 4_096, "largest checkpoint record: \(largest) bytes")

        // Three days later every day is final: its rows leave the state topic, nothing is published again.
        let later = started.addingTimeInterval(3 * 86_400)
        let outcome = try await Streamer.make(
            configuration: configuration, apiKey: try world.apiKey, now: { later }, logger: world.logger
        ).backfill()
        #expect(outcome[.claudeCodeUsage]?.eventsPublished == 0, "unchanged rows are not re-emitted")
        #expect(try await liveState(world, configuration).isEmpty)
    }

    /// The row keys of claude_code_usage that hold live state (latest record per key not a tombstone).
    private func liveState(_ world: EndToEnd, _ configuration: StreamerConfiguration) async throws -> Set<String> {
        let prefix = StateScope(organizationID: world.sandboxConfiguration.organizationID, table: .claudeCodeUsage).keyPrefix
        var latest: [String: Bool] = [:]
        for record in try await world.read(topic: configuration.effectiveStateTopic) where record.keyText.hasPrefix(prefix) {
            latest[String(record.keyText.dropFirst(prefix.count))] = record.value != nil
        }
        return Set(latest.filter(\.value).keys)
    }
}
