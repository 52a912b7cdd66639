import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Testing

@testable import Streamer

/// State tables as change streams: only new and changed rows, tombstones for rows that disappeared.
@Suite(.serialized) struct ChangeStreamEndToEndTests {
    let stateTables: [AdminTable] = [.organization, .workspaces, .apiKeys, .invites, .users, .workspaceMembers]

    func streamer(_ world: EndToEnd, minutesLater: Double, resnapshot: Bool = false) async throws -> Streamer {
        var configuration = world.configuration()
        configuration.tables = stateTables
        configuration.resnapshot = resnapshot
        let now = Date().addingTimeInterval(minutesLater * 60)
        return try await Streamer.make(configuration: configuration, apiKey: try world.apiKey, now: { now }, logger: world.logger)
    }

    @Test("an unchanged snapshot emits nothing; deleted entities become tombstones; --resnapshot re-emits every row")
    func changeStream() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        _ = try await streamer(world, minutesLater: 0).backfill()
        var published: [AdminTable: [ConsumedRecord]] = [:]
        for table in stateTables {
            let expected = try await world.expectedRows(table).count
            published[table] = try await world.read(table)
            #expect(published[table]?.count == expected, "\(table): first snapshot emits every row")
        }

        let unchanged = try await streamer(world, minutesLater: 10).backfill()
        for table in stateTables {
            #expect(unchanged[table]?.wasSkipped == false)
            #expect(unchanged[table]?.eventsPublished == 0, "\(table): nothing changed")
        }

        let apiKey = try #require(try await world.expectedRows(.apiKeys).first)
        let invite = try #require(try await world.expectedRows(.invites).first)
        let member = try #require(try await world.expectedRows(.workspaceMembers).first)
        await world.sandbox.deleteAPIKey(id: try #require(apiKey["id"]?.stringValue))
        await world.sandbox.deleteInvite(id: try #require(invite["id"]?.stringValue))
        await world.sandbox.removeWorkspaceMember(
            workspaceID: try #require(member["workspace_id"]?.stringValue), userID: try #require(member["user_id"]?.stringValue))

        let afterDelete = try await streamer(world, minutesLater: 20).backfill()
        for (table, row) in [(AdminTable.apiKeys, apiKey), (.invites, invite), (.workspaceMembers, member)] {
            #expect(afterDelete[table]?.deletes == 1, "\(table)")
            let records = try await world.read(table)
            let fresh = records.subtracting(try #require(published[table]))
            #expect(fresh.count == 1, "\(table): one tombstone")
            let tombstone = try #require(fresh.first)
            #expect(tombstone.keyText == row.keyText)
            #expect(tombstone.value == nil)
            #expect(tombstone.header("anthropic.op") == "delete")
        }
        #expect(afterDelete[.users]?.eventsPublished == 0)

        let full = try await streamer(world, minutesLater: 30, resnapshot: true).backfill()
        for table in stateTables {
            let expected = try await world.expectedRows(table).count
            #expect(full[table]?.eventsPublished == expected, "\(table): --resnapshot re-emits every row")
        }
    }
}
