import AdminClient
import ArgumentParser
import BenchmarkFixtures
import Foundation
import JSONSpans
import Kafka
import Streamer

/// `hot`: the hot paths timed with a plain clock, outside package-benchmark (whose malloc and ARC
/// interposers slow allocation-heavy code): median ns per row over `--rounds` rounds of one page.
struct HotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hot", abstract: "Hot-path timings (ns per row, median of rounds), without interposers.")
    @Option(help: "Rounds per measurement.")
    var rounds = 200
    @Option(help: "Run only the measurements whose name contains this text (e.g. under valgrind to count allocations).")
    var only: String?

    func run() async throws {
        try await Fixtures.load()
        let fixtures = Fixtures.current
        let fetchedAt = Date()
        var lines: [String] = []
        func measure(_ name: String, rows: Int, _ body: () throws -> Void) rethrows {
            if let only, !name.contains(only) { return }
            for _ in 0..<5 { try body() }
            var samples: [Double] = []
            for _ in 0..<rounds {
                let clock = Stopwatch()
                try body()
                samples.append(clock.seconds)
            }
            samples.sort()
            let median = samples[samples.count / 2]
            // The fastest round too: on a shared machine it is the least disturbed by other processes.
            let fastest = samples[0]
            lines.append(
                name.padding(toLength: 62, withPad: " ", startingAt: 0)
                    + String(
                        format: "%8.0f ns/row  %7.3f ms/page (median)  %8.0f ns/row  %7.3f ms/page (fastest)",
                        median / Double(rows) * 1e9, median * 1e3, fastest / Double(rows) * 1e9, fastest * 1e3))
        }
        // The product's hot path (issue #16): one scan into spans, then the table's encoder writes key and value
        // bytes; the poller then wraps them in records with the page's headers.
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
        let claudeCodeMap = try JSONSpanScanner.scan(fixtures.claudeCodePage)
        try measure("Encode only: claude_code page (scanned once before)", rows: 1_000) {
            blackHole(try claudeCodeEncoder.encodeRows(in: claudeCodeMap))
        }
        try measure("Scan + encode + records: claude_code page (as the poller)", rows: 1_000) {
            let rows = try claudeCodeEncoder.encodeRows(in: try JSONSpanScanner.scan(fixtures.claudeCodePage))
            let headers = StreamerEvent.headers(
                table: .claudeCodeUsage, organizationID: Fixtures.organizationID, operation: .upsert, fetchedAt: fetchedAt)
            var records: [KafkaRecord] = []
            records.reserveCapacity(rows.count)
            for row in rows { records.append(KafkaRecord(topic: "t", key: row.key, value: row.value, headers: headers)) }
            blackHole(records)
        }
        // For comparison: the strict tree parser the product keeps off the hot path (sandbox, settings files).
        try measure("Tree parse (JSONParser, off the hot path): claude_code page", rows: 1_000) {
            _ = try JSONParser.parse(fixtures.claudeCodePage)
        }
        // What a page weighs: the response, its scan entries and the events written from it.
        let claudeCodeRows = try claudeCodeEncoder.encodeRows(in: claudeCodeMap)
        lines.append(
            "claude_code page: \(fixtures.claudeCodePage.count) bytes of response, \(claudeCodeMap.valueCount) scanned "
                + "values, \(claudeCodeRows.reduce(0) { $0 + $1.key.count + $1.value.count }) bytes of keys and values")
        let usageReportRows = try usageReportEncoder.encodeRows(in: try JSONSpanScanner.scan(fixtures.usageReportPage))
        lines.append(
            "usage_report page: \(fixtures.usageReportPage.count) bytes of response, "
                + "\(usageReportRows.reduce(0) { $0 + $1.key.count + $1.value.count }) bytes of keys and values")
        print(lines.joined(separator: "\n"))
    }
}

@inline(never) func blackHole<T>(_ value: T) { withExtendedLifetime(value) {} }
