import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Testing

@testable import Streamer

/// `streamer reset` starts exactly the named tables over, through the streamer's own producer; `streamer
/// status` reports every table's checkpoint.
@Suite(.serialized) struct StateResetEndToEndTests {
    let tables: [AdminTable] = [.users, .apiKeys, .claudeCodeUsage]

    func streamer(_ world: EndToEnd, minutesLater: Double) async throws -> Streamer {
        var configuration = world.configuration()
        configuration.tables = tables
        let now = Date().addingTimeInterval(minutesLater * 60)
        return try await Streamer.make(configuration: configuration, apiKey: try world.apiKey, now: { now }, logger: world.logger)
    }

    @Test("reset then backfill re-emits exactly that table; the reset's records land in the partitions of the keys they replace")
    func resetThenBackfill() async throws {
        let world = try await EndToEnd.start(days: 2)
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = tables
        let organizationID = world.sandboxConfiguration.organizationID
        _ = try await streamer(world, minutesLater: 0).backfill()
        var before: [AdminTable: [ConsumedRecord]] = [:]
        for table in tables { before[table] = try await world.read(table) }
        let stateBefore = try await world.read(topic: configuration.effectiveStateTopic)
        let checkpointsBefore = try await world.read(topic: configuration.effectiveCheckpointTopic)

        let outcome = try await StateReset.reset(
            tables: [.users], organizationID: organizationID, configuration: configuration, logger: world.logger)
        #expect(outcome.checkpoints == 1)
        #expect(outcome.stateRecords == world.sandboxConfiguration.users)

        // Same key, same partition: the partitioner is the streamer's own (murmur2_random).
        var partitionOf: [String: Int32] = [:]
        for record in stateBefore + checkpointsBefore { partitionOf[record.keyText] = record.partition }
        let resetRecords =
            try await world.read(topic: configuration.effectiveStateTopic).subtracting(stateBefore)
            + (try await world.read(topic: configuration.effectiveCheckpointTopic)).subtracting(checkpointsBefore)
        #expect(resetRecords.count == world.sandboxConfiguration.users + 1)
        for record in resetRecords { #expect(partitionOf[record.keyText] == record.partition, "\(record.keyText)") }

        let outcomes = try await streamer(world, minutesLater: 1).backfill()
        #expect(outcomes[.users]?.eventsPublished == world.sandboxConfiguration.users)
        for table in tables {
            let fresh = try await world.read(table).subtracting(try #require(before[table]))
            if table == .users {
                #expect(Set(fresh.map(\.keyText)) == Set(try #require(before[.users]).map(\.keyText)), "every user again")
                #expect(fresh.count == world.sandboxConfiguration.users)
            } else {
                #expect(fresh.isEmpty, "\(table) is not re-emitted")
            }
        }
    }

    @Test("status reports each table's cursor, lag and last success, as text and JSON; a refused checkpoint is named")
    func status() async throws {
        let world = try await EndToEnd.start(days: 4)
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = tables
        _ = try await streamer(world, minutesLater: 0).backfill()
        let organizationID = world.sandboxConfiguration.organizationID
        let statuses = try await TableStatus.load(configuration: configuration, organizationID: nil, logger: world.logger)
        #expect(statuses.map(\.table) == tables)
        #expect(statuses.allSatisfy { $0.organizationID == organizationID && $0.problem == nil && $0.lastSuccess != nil })
        let users = try #require(statuses.first { $0.table == .users })
        #expect(users.cursor == "snapshot 1, \(world.sandboxConfiguration.users) rows")
        let text = statuses.text
        #expect(text.contains("\(organizationID) claude_code_usage: final through"))
        #expect(text.contains("lag "))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(statuses.json.utf8)) as? [[String: Any]])
        #expect(json.count == tables.count)
        #expect(json.first?["table"] as? String == "users")
        #expect(json.first?["held_deletion"] is NSNull)

        var moved = configuration
        moved.topicPrefix = "acme"
        moved.checkpointTopic = configuration.effectiveCheckpointTopic
        let refused = try await TableStatus.load(configuration: moved, organizationID: organizationID, logger: world.logger)
        #expect(refused.allSatisfy { $0.problem?.contains("acme.") == true })
        #expect(refused.text.contains("REFUSED"))
    }
}
