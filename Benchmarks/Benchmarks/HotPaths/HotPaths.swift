import AdminClient
import Benchmark
import BenchmarkFixtures
import JSONSpans

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

    // The strict tree parser, off the hot path since issue #16 (sandbox, settings files): for comparison.
    Benchmark("JSON parse: claude_code page, 1,000 rows", closure: { benchmark in
        let page = Fixtures.current.claudeCodePage
        for _ in benchmark.scaledIterations {
            blackHole(try JSONParser.parse(page))
        }
    }, setup: Fixtures.load)

    // The product's hot path: parse + map + encode is one scan into spans plus the table's encoder.
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
}
