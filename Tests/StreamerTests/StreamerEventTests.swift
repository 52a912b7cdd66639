import AdminClient
import Foundation
import Testing

@testable import Streamer

@Suite struct StreamerEventTests {
    let fetchedAt = Date(timeIntervalSince1970: 1_756_728_000)  // 2025-09-01T12:00:00Z

    func claudeCodeRow() throws -> EncodedRow {
        let item = try JSONParser.parse(Array(#"""
            {"date":"2025-09-01","actor":{"type":"user_actor","email_address":"ana@example.com"},
             "organization_id":"org-1","customer_type":"api","terminal_type":"vscode","is_remote":true,
             "core_metrics":{"num_sessions":4,"lines_of_code":{"added":210,"removed":37},
                             "commits_by_claude_code":3,"pull_requests_by_claude_code":1},
             "tool_actions":{"edit_tool":{"accepted":19,"rejected":2}},
             "model_breakdown":[{"model":"claude-sonnet-4-20250514",
                "tokens":{"input":51000,"output":9000,"cache_read":12000,"cache_creation":3000},
                "estimated_cost":{"currency":"USD","amount":143}}]}
            """#.utf8))
        return try TableEncoder(table: .claudeCodeUsage).encodeRow(item: try #require(item.objectValue))
    }

    @Test("the key is the documented primary key as compact JSON in documented order")
    func keyBytes() throws {
        #expect(String(decoding: try claudeCodeRow().key, as: UTF8.self)
            == #"{"date":"2025-09-01T00:00:00Z","actor_type":"user_actor","actor_id":"ana@example.com","terminal_type":"vscode","is_remote":true}"#)
    }

    @Test("every event carries the contract's headers")
    func headers() throws {
        let eventHeaders = StreamerEvent.headers(
            table: .claudeCodeUsage, organizationID: "org-1", operation: .upsert, fetchedAt: fetchedAt)
        let headers = Dictionary(uniqueKeysWithValues: eventHeaders.map { ($0.name, String(decoding: $0.value ?? [], as: UTF8.self)) })
        #expect(headers == [
            "content-type": "application/json", "anthropic.table": "claude_code_usage",
            "anthropic.organization_id": "org-1", "anthropic.op": "upsert",
            "anthropic.fetched_at": "2025-09-01T12:00:00Z", "schema_version": "2",
        ])
    }

    @Test("schema_version is the table's own contract version: 2 for claude_code_usage, 1 for the others")
    func schemaVersionPerTable() {
        for table in AdminTable.allCases {
            let headers = StreamerEvent.headers(table: table, organizationID: "o", operation: .upsert, fetchedAt: fetchedAt)
            let version = headers.first { $0.name == "schema_version" }.map { String(decoding: $0.value ?? [], as: UTF8.self) }
            #expect(version == (table == .claudeCodeUsage ? "2" : "1"), "\(table)")
        }
    }

    @Test("a tombstone's headers carry the delete operation")
    func tombstone() throws {
        let headers = StreamerEvent.headers(table: .apiKeys, organizationID: "o", operation: .delete, fetchedAt: fetchedAt)
        #expect(headers.contains(KafkaHeaderMatcher.header("anthropic.op", "delete")))
    }

    @Test("a dry run prints one JSON line per event")
    func dryRunLine() async throws {
        let lines = LineCollector()
        let publisher = DryRunPublisher { lines.append($0) }
        let row = try claudeCodeRow()
        let headers = StreamerEvent.headers(
            table: .claudeCodeUsage, organizationID: "org-1", operation: .upsert, fetchedAt: fetchedAt)
        try await publisher.publish(
            PublishedPage(
                source: "org/claude_code_usage", sequence: 0,
                records: [KafkaRecord(topic: "anthropic.claude_code_usage", key: row.key, value: row.value, headers: headers)],
                checkpoint: KafkaRecord(topic: "cp", key: row.key, value: row.value, headers: headers)))
        let text = lines.text
        #expect(text.hasSuffix("\n"))
        let parsed = try JSONParser.parse(Array(text.dropLast().utf8))
        #expect(parsed["topic"]?.stringValue == "anthropic.claude_code_usage")
        #expect(parsed["value"]?["lines_added"]?.numberValue?.intValue == 210)
        #expect(parsed["headers"]?["anthropic.table"]?.stringValue == "claude_code_usage")
    }
}

import Kafka

enum KafkaHeaderMatcher {
    static func header(_ name: String, _ value: String) -> KafkaHeader {
        KafkaHeader(name: name, value: Array(value.utf8))
    }
}

/// Collects text written from any thread.
final class LineCollector: Sendable {
    private let storage = Mutex("")
    func append(_ text: String) { storage.withLock { $0 += text } }
    var text: String { storage.withLock { $0 } }
}

import Synchronization
