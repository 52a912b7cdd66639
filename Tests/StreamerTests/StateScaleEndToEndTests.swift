import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Synchronization
import Testing

@testable import Streamer

/// State that scales: 100,000 users and ~200,000 workspace memberships snapshot with checkpoints that stay
/// small, and a later snapshot publishes only what changed.
@Suite(.serialized) struct StateScaleEndToEndTests {
    let tables: [AdminTable] = [.users, .workspaceMembers]

    @Test("100,000 users and ~200,000 memberships: change one row and delete one → exactly 1 upsert and 1 tombstone; every checkpoint record ≤ 4 KiB")
    func scale() async throws {
        // The mock cluster keeps ~5 MB per partition: create wide topics before anything is produced.
        let world = try await EndToEnd.start(days: 1, partitions: 64) { sandbox in
            sandbox.users = 100_000
            // 99 + 1 archived workspaces of ~2,000 members: the sandbox pages a listing in time linear in the
            // listing's size, so many small listings serve 200,000 memberships far faster than four large ones.
            sandbox.workspaces = 99
            sandbox.memberPercent = 2
            sandbox.apiKeys = 1
            sandbox.invites = 0
        }
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = tables
        let changing = RenamingTransport(base: CurlTransport())

        func backfill(minutesLater: Double) async throws -> [AdminTable: CycleOutcome] {
            let now = Date().addingTimeInterval(minutesLater * 60)
            return try await Streamer.make(
                configuration: configuration, apiKey: try world.apiKey, transport: changing, now: { now },
                logger: world.logger
            ).backfill()
        }
        func recordCount(_ table: AdminTable) async throws -> Int64 {
            let offsets = try await KafkaTopicReader.offsets(
                topic: configuration.topic(for: table), configuration: configuration.kafka, logger: world.logger)
            return offsets.reduce(0) { $0 + $1.high - $1.low }
        }

        let first = try await backfill(minutesLater: 0)
        let users = try #require(first[.users]).eventsPublished
        let members = try #require(first[.workspaceMembers]).eventsPublished
        #expect(users == 100_000)
        #expect((190_000...210_000).contains(members), "about 200,000 memberships: \(members)")
        let usersBefore = try await recordCount(.users)
        let membersBefore = try await recordCount(.workspaceMembers)

        // One user changes (renamed in the listing), one membership disappears.
        changing.renameFirstUser()
        let member = try #require(await world.sandbox.servedItems(.workspaceMembers).last?.item)
        await world.sandbox.removeWorkspaceMember(
            workspaceID: try #require(member["workspace_id"]?.stringValue), userID: try #require(member["user_id"]?.stringValue))

        let second = try await backfill(minutesLater: 10)
        #expect(second[.users]?.rowsFetched == 100_000)
        #expect(second[.users]?.eventsPublished == 1, "one upsert")
        #expect(second[.users]?.deletes == 0)
        #expect(second[.workspaceMembers]?.eventsPublished == 1, "one tombstone")
        #expect(second[.workspaceMembers]?.deletes == 1)
        #expect(try await recordCount(.users) == usersBefore + 1)
        #expect(try await recordCount(.workspaceMembers) == membersBefore + 1)

        let checkpoints = try await world.read(topic: configuration.effectiveCheckpointTopic)
        #expect(checkpoints.count >= 2)
        let largest = checkpoints.map { $0.value?.count ?? 0 }.max() ?? 0
        #expect(largest <= 4_096, "largest checkpoint record: \(largest) bytes")
    }
}

/// Renames the first user of the users listing once asked to, as an edit in the Console would.
final class RenamingTransport: HTTPTransport {
    let base: any HTTPTransport
    private let isRenaming = Mutex(false)

    init(base: any HTTPTransport) { self.base = base }

    func renameFirstUser() { isRenaming.withLock { $0 = true } }

    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        var response = try await base.get(request)
        guard isRenaming.withLock({ $0 }), request.url.contains("/v1/organizations/users"), !request.url.contains("after_id")
        else { return response }
        let marker = Array(#""name":""#.utf8)
        if let start = response.body.firstRange(of: marker) {
            response.body.insert(contentsOf: Array("Renamed ".utf8), at: start.upperBound)
        }
        return response
    }
}
