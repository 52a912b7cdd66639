import AdminClient
import Benchmark
import BenchmarkFixtures
import Foundation
import JSONSpans
import Streamer

/// Hot-path micro-benchmarks: what the streamer does per page and per row, on the sandbox's data.
///
/// `swift package --disable-sandbox benchmark` (from `Benchmarks/`). Per-row benchmarks handle 1,000 rows an
/// iteration with `scalingFactor: .kilo`: read their `(K)` columns (or pass `--scale`) as "per row".
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput],
        timeUnits: .microseconds,
        warmupIterations: 3,
        maxDuration: .seconds(3),
        maxIterations: 10_000
    )
    let perRow = Benchmark.Configuration(
        metrics: [.wallClock, .cpuTotal, .mallocCountTotal, .throughput], timeUnits: .nanoseconds, scalingFactor: .kilo)

    Benchmark("JSON parse: claude_code page, 1,000 rows", closure: { benchmark in
        let page = Fixtures.current.claudeCodePage
        for _ in benchmark.scaledIterations {
            blackHole(try JSONParser.parse(page))
        }
    }, setup: Fixtures.load)

    Benchmark("Page decode: claude_code page, 1,000 rows (parse + makeRow)", closure: { benchmark in
        let page = Fixtures.current.claudeCodePage
        for _ in benchmark.scaledIterations {
            blackHole(try Fixtures.decode(page, table: .claudeCodeUsage))
        }
    }, setup: Fixtures.load)

    Benchmark("Page decode: usage_report page, 992 rows (parse + makeRow)", closure: { benchmark in
        let page = Fixtures.current.usageReportPage
        for _ in benchmark.scaledIterations {
            blackHole(try Fixtures.decode(page, table: .usageReport))
        }
    }, setup: Fixtures.load)

    // Version 2's hot path: parse + map + encode is one scan into spans plus the table's encoder.
    Benchmark("Scan + encode: claude_code page, 1,000 rows (key and value bytes)", closure: { benchmark in
        let page = Fixtures.current.claudeCodePage
        let encoder = TableEncoder(table: .claudeCodeUsage)
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encodeRows(in: try JSONSpanScanner.scan(page)))
        }
    }, setup: Fixtures.load)

    Benchmark("Scan + encode: usage_report page, 992 rows (key and value bytes)", closure: { benchmark in
        let page = Fixtures.current.usageReportPage
        let encoder = TableEncoder(table: .usageReport)
        for _ in benchmark.scaledIterations {
            blackHole(try encoder.encodeRows(in: try JSONSpanScanner.scan(page)))
        }
    }, setup: Fixtures.load)

    Benchmark("Span scan: claude_code page, 1,000 rows", closure: { benchmark in
        let page = Fixtures.current.claudeCodePage
        for _ in benchmark.scaledIterations {
            blackHole(try JSONSpanScanner.scan(page))
        }
    }, setup: Fixtures.load)

    Benchmark("makeRow: claude_code item → row", configuration: perRow, closure: { benchmark in
        let items = Fixtures.current.claudeCodeItems
        let definition = AdminTable.claudeCodeUsage.definition
        for index in benchmark.scaledIterations {
            blackHole(try definition.makeRow(from: items[index % items.count]))
        }
    }, setup: Fixtures.load)

    Benchmark("Row → event: claude_code row → key, value, headers, record", configuration: perRow, closure: { benchmark in
        let rows = Fixtures.current.claudeCodeRows
        let fetchedAt = Date()
        for index in benchmark.scaledIterations {
            let event = StreamerEvent(row: rows[index % rows.count], organizationID: Fixtures.organizationID, fetchedAt: fetchedAt)
            blackHole(event.record(topic: "anthropic.claude_code_usage"))
        }
    }, setup: Fixtures.load)

    Benchmark("Row → event: usage_report row → key, value, headers, record", configuration: perRow, closure: { benchmark in
        let rows = Fixtures.current.usageReportRows
        let fetchedAt = Date()
        for index in benchmark.scaledIterations {
            let event = StreamerEvent(row: rows[index % rows.count], organizationID: Fixtures.organizationID, fetchedAt: fetchedAt)
            blackHole(event.record(topic: "anthropic.usage_report"))
        }
    }, setup: Fixtures.load)
}

