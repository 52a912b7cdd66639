import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Testing

@testable import Streamer

/// Sandbox Admin API on loopback → streamer → mock cluster → a real consumer reading back.
@Suite(.serialized) struct BackfillEndToEndTests {
    @Test("a backfill publishes every row of every table once, as the contract maps it", arguments: StreamerConfiguration.DeliveryMode.allCases)
    func backfillPublishesEveryTable(delivery: StreamerConfiguration.DeliveryMode) async throws {
        let world = try await EndToEnd.start()
        defer { Task { await world.stop() } }
        let streamer = try await world.makeStreamer(world.configuration(delivery: delivery))
        let outcomes = try await streamer.backfill()
        #expect(outcomes.count == AdminTable.allCases.count)

        for table in AdminTable.allCases {
            let expected = try await world.expectedRows(table)
            let records = try await world.read(table)
            #expect(!expected.isEmpty, "the sandbox serves \(table)")
            #expect(records.count == expected.count, "\(table): one event per row")
            let byKey = Dictionary(records.map { ($0.keyText, $0) }, uniquingKeysWith: { first, _ in first })
            #expect(byKey.count == records.count, "\(table): no key twice")
            for row in expected {
                let record = try #require(byKey[row.keyText], "\(table): \(row.keyText) published")
                #expect(record.valueText == row.valueText)
                #expect(record.header("anthropic.table") == table.name)
                #expect(record.header("anthropic.organization_id") == world.sandboxConfiguration.organizationID)
                #expect(record.header("anthropic.op") == "upsert")
                #expect(record.header("schema_version") == String(table.definition.schemaVersion))
                #expect(record.header("content-type") == "application/json")
                #expect(record.header("anthropic.fetched_at").flatMap { CalendarDay(prefixOf: $0) } != nil)
            }
            #expect(outcomes[table]?.rowsFetched == expected.count)
        }
    }

    @Test("every event validates against the JSON Schemas in schemas/")
    func eventsValidate() async throws {
        let world = try await EndToEnd.start(days: 3)
        defer { Task { await world.stop() } }
        _ = try await world.makeStreamer().backfill()
        for table in AdminTable.allCases {
            let keySchema = try JSONParser.parse(Array(try RepositoryFiles.text("schemas/\(table.name).key.schema.json").utf8))
            let valueSchema = try JSONParser.parse(Array(try RepositoryFiles.text("schemas/\(table.name).value.schema.json").utf8))
            for record in try await world.read(table) {
                let key = try JSONParser.parse(record.key ?? [])
                let value = try JSONParser.parse(record.value ?? [])
                #expect(SchemaValidator.violations(of: key, against: keySchema) == [], "\(table) key \(record.keyText)")
                #expect(SchemaValidator.violations(of: value, against: valueSchema) == [], "\(table) value")
            }
        }
    }

    @Test("a restart after a completed backfill publishes nothing new")
    func restartAfterCompletedBackfill() async throws {
        let world = try await EndToEnd.start()
        defer { Task { await world.stop() } }
        _ = try await world.makeStreamer().backfill()
        var before: [AdminTable: Int] = [:]
        for table in AdminTable.allCases { before[table] = try await world.read(table).count }

        let outcomes = try await world.makeStreamer().backfill()
        for table in AdminTable.allCases {
            #expect(try await world.read(table).count == before[table], "\(table)")
            #expect(outcomes[table]?.eventsPublished == 0, "\(table)")
        }
    }

    @Test("a backfill stopped after some pages resumes from its checkpoints with nothing lost and nothing twice")
    func restartMidBackfill() async throws {
        let world = try await EndToEnd.start(days: 8)
        defer { Task { await world.stop() } }
        let failing = FailingTransport(
            base: CurlTransport(),
            pathPrefix: "/v1/organizations/usage_report/claude_code", healthyRequests: 3)
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage]
        do {
            _ = try await world.makeStreamer(configuration, transport: failing).backfill()
            Issue.record("the first backfill should fail after 3 pages")
        } catch let error as StreamerError {
            #expect(error.code == .tablesFailed)
            #expect(error.reason.contains("claude_code_usage"))
        }
        let partial = try await world.read(.claudeCodeUsage)
        #expect(partial.count == 3 * world.sandboxConfiguration.claudeCodeRowsPerDay)

        _ = try await world.makeStreamer(configuration).backfill()
        let records = try await world.read(.claudeCodeUsage)
        let expected = try await world.expectedRows(.claudeCodeUsage)
        #expect(records.count == expected.count)
        #expect(Set(records.map(\.keyText)) == Set(expected.map(\.keyText)))
        #expect(Set(records.compactMap(\.valueText)) == Set(expected.map(\.valueText)))
    }

    @Test("late data: revised rows of a day inside the settle window are re-emitted, and only those")
    func lateData() async throws {
        let world = try await EndToEnd.start(days: 6)
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage, .usageReport, .costReport]
        _ = try await world.makeStreamer(configuration).backfill()
        var before: [AdminTable: [AdminRow]] = [:]
        var published: [AdminTable: [ConsumedRecord]] = [:]
        for table in configuration.tables {
            before[table] = try await world.expectedRows(table)
            published[table] = try await world.read(table)
        }

        let yesterday = world.sandboxConfiguration.today.adding(days: -1)
        await world.sandbox.revise(day: yesterday)
        _ = try await world.makeStreamer(configuration).backfill()

        for table in configuration.tables {
            let old = Set(try #require(before[table]).map(\.valueText))
            let changed = try await world.expectedRows(table).filter { !old.contains($0.valueText) }
            #expect(!changed.isEmpty, "\(table): the revision changed some rows")
            let fresh = try await world.read(table).subtracting(try #require(published[table]))
            #expect(fresh.count == changed.count, "\(table): exactly the changed rows")
            #expect(Set(fresh.compactMap(\.valueText)) == Set(changed.map(\.valueText)))
        }
    }
}

/// Passes the first `healthyRequests` requests on a path through, then answers with a malformed page.
final class FailingTransport: HTTPTransport {
    let base: any HTTPTransport
    let pathPrefix: String
    let healthyRequests: Int
    private let seen = Mutex(0)

    init(base: any HTTPTransport, pathPrefix: String, healthyRequests: Int) {
        self.base = base
        self.pathPrefix = pathPrefix
        self.healthyRequests = healthyRequests
    }

    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        if request.url.contains(pathPrefix) {
            let count = seen.withLock { value in
                value += 1
                return value
            }
            if count > healthyRequests {
                var response = try await base.get(request)
                response.body = Array(#"{"data":"this is not a page"}"#.utf8)
                return response
            }
        }
        return try await base.get(request)
    }
}

import Synchronization
