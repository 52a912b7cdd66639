import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Prometheus
import Testing

@testable import Streamer

/// State tables keep what consumers hold in the compacted state topic, and the start-up refuses state that
/// would lose or replay data.
@Suite(.serialized) struct RowStateEndToEndTests {
    func configuration(_ world: EndToEnd, tables: [AdminTable] = [.users, .apiKeys]) -> StreamerConfiguration {
        var configuration = world.configuration()
        configuration.tables = tables
        return configuration
    }

    func streamer(
        _ world: EndToEnd, _ configuration: StreamerConfiguration, minutesLater: Double, transport: (any HTTPTransport)? = nil
    ) async throws -> Streamer {
        let now = Date().addingTimeInterval(minutesLater * 60)
        return try await Streamer.make(
            configuration: configuration, apiKey: try world.apiKey, transport: transport, now: { now }, logger: world.logger)
    }

    func stateRecords(_ world: EndToEnd, _ table: AdminTable) async throws -> [ConsumedRecord] {
        let prefix = "\(world.sandboxConfiguration.organizationID)/\(table.name)/"
        return try await world.read(topic: world.configuration().effectiveStateTopic).filter { $0.keyText.hasPrefix(prefix) }
    }

    @Test("every published row has a state record (row key → value fingerprint); a deleted row's state becomes a tombstone with its event")
    func stateRecordsFollowEvents() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        let configuration = configuration(world)
        _ = try await streamer(world, configuration, minutesLater: 0).backfill()
        let events = try await world.read(.apiKeys)
        let states = try await stateRecords(world, .apiKeys)
        #expect(states.count == events.count)
        let prefix = "\(world.sandboxConfiguration.organizationID)/api_keys/"
        let fingerprints = Dictionary(uniqueKeysWithValues: states.map { (String($0.keyText.dropFirst(prefix.count)), $0.valueText) })
        for event in events {
            #expect(fingerprints[event.keyText] == Fingerprint.of(event.value ?? []))
        }

        let deleted = try #require(try await world.expectedRows(.apiKeys).first)
        await world.sandbox.deleteAPIKey(id: try #require(deleted["id"]?.stringValue))
        let outcome = try await streamer(world, configuration, minutesLater: 10).backfill()
        #expect(outcome[.apiKeys]?.deletes == 1)
        let fresh = try await stateRecords(world, .apiKeys).subtracting(states)
        #expect(fresh.count == 1)
        #expect(fresh.first?.keyText == prefix + deleted.keyText)
        #expect(fresh.first?.value == nil)
    }

    @Test("a listing interrupted after some pages starts over on restart: rows already published match their state and are not repeated, and nothing is deleted")
    func interruptedListing() async throws {
        let world = try await EndToEnd.start(days: 1) { $0.users = 2_500 }  // three pages of 1,000
        defer { Task { await world.stop() } }
        let configuration = configuration(world, tables: [.users])
        let failing = FailingTransport(
            base: CurlTransport(), pathPrefix: "/v1/organizations/users",
            healthyRequests: 2)
        do {
            _ = try await streamer(world, configuration, minutesLater: 0, transport: failing).backfill()
            Issue.record("the listing should fail on its third page")
        } catch let error as StreamerError {
            #expect(error.code == .tablesFailed)
        }
        #expect(try await world.read(.users).count == 2_000, "two pages published with their state")

        let outcome = try await streamer(world, configuration, minutesLater: 1).backfill()
        #expect(outcome[.users]?.rowsFetched == 2_500)
        #expect(outcome[.users]?.eventsPublished == 500, "only the rows the interrupted listing had not reached")
        #expect(outcome[.users]?.deletes == 0)
        let records = try await world.read(.users)
        #expect(records.count == 2_500)
        #expect(Set(records.map(\.keyText)).count == 2_500, "no row twice")
        #expect(try await stateRecords(world, .users).count == 2_500)
    }

    @Test("the checkpoint of a state table is small: no per-row data")
    func smallCheckpoint() async throws {
        let world = try await EndToEnd.start(days: 1) { $0.users = 300 }
        defer { Task { await world.stop() } }
        _ = try await streamer(world, configuration(world, tables: [.users]), minutesLater: 0).backfill()
        let checkpoints = try await world.read(topic: world.configuration().effectiveCheckpointTopic)
        #expect(!checkpoints.isEmpty)
        for record in checkpoints { #expect((record.value?.count ?? 0) <= 1_024) }
    }

    @Test("an empty listing after a full one produces no tombstone: the deletion is held, remembered and counted; a second agreeing listing carries it out")
    func emptyListingIsHeld() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        let configuration = configuration(world, tables: [.users])
        _ = try await streamer(world, configuration, minutesLater: 0).backfill()
        let before = try await world.read(.users)
        let empty = EmptyListingTransport(
            base: CurlTransport(), pathPrefix: "/v1/organizations/users")

        let (registry, held) = try await ScopedMetrics.collect {
            try await streamer(world, configuration, minutesLater: 10, transport: empty).backfill()
        }
        #expect(held[.users]?.deletes == 0)
        #expect(held[.users]?.deletionsHeld == world.sandboxConfiguration.users)
        #expect(try await world.read(.users).count == before.count, "no tombstone")
        let metrics = PrometheusSamples(String(decoding: registry.emitToBuffer(), as: UTF8.self))
        #expect(metrics.value("streamer_deletions_held_total", ["table": "users"]) == 1)
        let checkpoint = try #require(try await streamer(world, configuration, minutesLater: 11).checkpoints()[.users])
        #expect(checkpoint.snapshot?.heldDeletion?.rows == world.sandboxConfiguration.users)
        #expect(checkpoint.snapshot?.heldDeletion?.listings == 1)

        let confirmed = try await streamer(world, configuration, minutesLater: 20, transport: empty).backfill()
        #expect(confirmed[.users]?.deletes == world.sandboxConfiguration.users)
        let tombstones = try await world.read(.users).subtracting(before)
        #expect(tombstones.count == world.sandboxConfiguration.users)
        #expect(tombstones.allSatisfy { $0.value == nil })
    }

    @Test("a topic_prefix change under the same checkpoint topic is detected: exit 78 naming both topics")
    func topicPrefixChange() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        var configuration = configuration(world, tables: [.users])
        configuration.checkpointTopic = "shared.checkpoints"
        try world.cluster.createTopic("shared.checkpoints", partitions: 3)
        _ = try await streamer(world, configuration, minutesLater: 0).backfill()
        configuration.topicPrefix = "acme"
        do {
            _ = try await streamer(world, configuration, minutesLater: 10)
            Issue.record("the start should be refused")
        } catch let error as StreamerError {
            #expect(error.exitCode == 78)
            #expect(error.reason.contains("anthropic.users"))
            #expect(error.reason.contains("acme.users"))
        }
    }

    @Test("no checkpoint but events already in the table's topic: refused (exit 78) unless --from-scratch")
    func lostCheckpointTopic() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        var configuration = configuration(world, tables: [.users])
        _ = try await streamer(world, configuration, minutesLater: 0).backfill()
        configuration.checkpointTopic = "anthropic.checkpoints-renamed"
        do {
            _ = try await streamer(world, configuration, minutesLater: 10)
            Issue.record("the start should be refused")
        } catch let error as StreamerError {
            #expect(error.exitCode == 78)
            #expect(error.reason.contains("--from-scratch"))
            #expect(error.reason.contains("anthropic.users"))
        }
        configuration.fromScratch = true
        _ = try await streamer(world, configuration, minutesLater: 10).backfill()
    }

    @Test("at-least-once: a table without a checkpoint gets one before its first events")
    func atLeastOnceInitialCheckpoint() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        var configuration = configuration(world, tables: [.users])
        configuration.delivery = .atLeastOnce
        _ = try await streamer(world, configuration, minutesLater: 0)
        let checkpoints = try await world.read(topic: configuration.effectiveCheckpointTopic)
        #expect(checkpoints.map(\.keyText) == ["\(world.sandboxConfiguration.organizationID)/users"])
        #expect(try await world.read(.users).isEmpty)
    }

    @Test("a version 1 checkpoint holding a state table's fingerprints is upgraded: they move to the state topic and nothing is re-published")
    func upgradesVersion1() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        let configuration = configuration(world, tables: [.users])
        _ = try await streamer(world, configuration, minutesLater: 0).backfill()
        // What a version 1 streamer would have left: every row's fingerprint in the checkpoint, no state topic.
        let events = try await world.read(.users)
        var rows: [String: String] = [:]
        for event in events { rows[event.keyText] = Fingerprint.of(event.value ?? []) }
        let organizationID = world.sandboxConfiguration.organizationID
        let rowsJSON = String(decoding: try JSONEncoder().encode(rows), as: UTF8.self)
        let v1 = #"{"schema_version":1,"table":"users","organization_id":"\#(organizationID)","published":[],"pending_fingerprints":{},"snapshot":{"last_completed_at":"2020-01-01T00:00:00Z","last_row_count":\#(rows.count),"rows":\#(rowsJSON)},"updated_at":"2020-01-01T00:00:00Z"}"#
        var legacy = configuration
        legacy.stateTopic = "v1.state"
        try world.cluster.createTopic("v1.state", partitions: 3)
        let producer = try KafkaProducer(configuration: KafkaConfiguration(bootstrapServers: world.cluster.bootstrapServers), logger: world.logger)
        _ = try await producer.send([
            KafkaRecord(topic: configuration.effectiveCheckpointTopic, key: Array("\(organizationID)/users".utf8), value: Array(v1.utf8))
        ])
        await producer.close(timeout: .seconds(5))

        let outcome = try await streamer(world, legacy, minutesLater: 10).backfill()
        #expect(outcome[.users]?.eventsPublished == 0, "the fingerprints carried over: nothing changed")
        #expect(try await world.read(topic: "v1.state").count == rows.count)
        let checkpoint = try #require(try await world.read(topic: configuration.effectiveCheckpointTopic).last)
        #expect(checkpoint.valueText?.contains(#""schema_version":2"#) == true)
    }
}

/// Answers every listing on a path with an empty page, as an API incident would.
final class EmptyListingTransport: HTTPTransport {
    let base: any HTTPTransport
    let pathPrefix: String

    init(base: any HTTPTransport, pathPrefix: String) {
        self.base = base
        self.pathPrefix = pathPrefix
    }

    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        var response = try await base.get(request)
        if request.url.contains(pathPrefix) {
            response.body = Array(#"{"data":[],"has_more":false,"first_id":null,"last_id":null}"#.utf8)
        }
        return response
    }
}
