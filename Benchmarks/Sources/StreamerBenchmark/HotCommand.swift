import AdminClient
import ArgumentParser
import BenchmarkFixtures
import Foundation
import JSONSpans
import Streamer

/// `hot`: the hot paths timed with a plain clock, outside package-benchmark (whose malloc and ARC
/// interposers slow allocation-heavy code): median ns per row over `--rounds` rounds of one page.
struct HotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hot", abstract: "Hot-path timings (ns per row, median of rounds), without interposers.")
    @Option(help: "Rounds per measurement.")
    var rounds = 200

    func run() async throws {
        try await Fixtures.load()
        let fixtures = Fixtures.current
        let fetchedAt = Date()
        var lines: [String] = []
        func measure(_ name: String, rows: Int, _ body: () throws -> Void) rethrows {
            for _ in 0..<5 { try body() }
            var samples: [Double] = []
            for _ in 0..<rounds {
                let clock = Stopwatch()
                try body()
                samples.append(clock.seconds)
            }
            samples.sort()
            let median = samples[samples.count / 2]
            lines.append(
                name.padding(toLength: 62, withPad: " ", startingAt: 0)
                    + String(format: "%8.0f ns/row  %7.3f ms/page  %6.2f M rows/s", median / Double(rows) * 1e9, median * 1e3, Double(rows) / median / 1e6))
        }
        try measure("JSON parse: claude_code page (1,000 rows)", rows: 1_000) {
            _ = try JSONParser.parse(fixtures.claudeCodePage)
        }
        try measure("Page decode: claude_code page (parse + makeRow)", rows: 1_000) {
            _ = try Fixtures.decode(fixtures.claudeCodePage, table: .claudeCodeUsage)
        }
        try measure("Page decode: usage_report page (parse + makeRow, 992 rows)", rows: 992) {
            _ = try Fixtures.decode(fixtures.usageReportPage, table: .usageReport)
        }
        // Version 2's hot path: one scan into spans, then the table's encoder writes key and value bytes.
        let claudeCodeEncoder = TableEncoder(table: .claudeCodeUsage)
        let usageReportEncoder = TableEncoder(table: .usageReport)
        try measure("Span scan: claude_code page (1,000 rows)", rows: 1_000) {
            blackHole(try JSONSpanScanner.scan(fixtures.claudeCodePage))
        }
        try measure("Scan + encode: claude_code page (key and value bytes)", rows: 1_000) {
            blackHole(try claudeCodeEncoder.encodeRows(in: try JSONSpanScanner.scan(fixtures.claudeCodePage)))
        }
        try measure("Scan + encode: usage_report page (992 rows)", rows: 992) {
            blackHole(try usageReportEncoder.encodeRows(in: try JSONSpanScanner.scan(fixtures.usageReportPage)))
        }
        let definition = AdminTable.claudeCodeUsage.definition
        try measure("makeRow: claude_code item → row", rows: fixtures.claudeCodeItems.count) {
            for item in fixtures.claudeCodeItems { _ = try definition.makeRow(from: item) }
        }
        for (table, rows) in [("claude_code", fixtures.claudeCodeRows), ("usage_report", fixtures.usageReportRows)] {
            measure("Row → event: \(table) (key, value, page headers, record)", rows: rows.count) {
                let headers = StreamerEvent.headers(
                    table: rows[0].table, organizationID: Fixtures.organizationID, operation: .upsert, fetchedAt: fetchedAt)
                var records: [KafkaRecordProbe] = []
                records.reserveCapacity(rows.count)
                for row in rows {
                    let event = StreamerEvent(row: row, organizationID: Fixtures.organizationID, fetchedAt: fetchedAt)
                    records.append(KafkaRecordProbe(key: event.keyBytes, value: event.valueBytes, headers: headers.count))
                }
                blackHole(records)
            }
            measure("Row → event: \(table) (StreamerEvent.record, own headers)", rows: rows.count) {
                for row in rows {
                    blackHole(StreamerEvent(row: row, organizationID: Fixtures.organizationID, fetchedAt: fetchedAt).record(topic: "t"))
                }
            }
        }
        print(lines.joined(separator: "\n"))
    }
}

/// What a record holds, without the Kafka module's type (so the measurement is the encoding only).
struct KafkaRecordProbe {
    let key: [UInt8]
    let value: [UInt8]?
    let headers: Int
}

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
