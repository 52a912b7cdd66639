import AdminClient
import AdminSandbox
import Benchmark
import Foundation
import Kafka
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

/// Pages as the sandbox serves them (the same JSON writer, the same generators), built once.
struct Fixtures: Sendable {
    static let organizationID = SandboxConfiguration().organizationID

    let claudeCodePage: [UInt8]
    let usageReportPage: [UInt8]
    let claudeCodeItems: [JSONObject]
    let claudeCodeRows: [AdminRow]
    let usageReportRows: [AdminRow]

    nonisolated(unsafe) private static var loaded: Fixtures?
    static var current: Fixtures { loaded! }

    @Sendable static func load() async throws {
        if loaded != nil { return }
        var configuration = SandboxConfiguration()
        configuration.historyStart = configuration.today.adding(days: -30)
        configuration.users = 50
        configuration.apiKeys = 20
        configuration.workspaces = 5
        configuration.claudeCodeRowsPerDay = 1_000
        configuration.usageResultsPerBucket = 32
        let sandbox = SandboxAdminAPI(configuration: configuration)

        let claudeCode = await sandbox.servedItems(.claudeCodeUsage).prefix(1_000).map(\.item)
        let claudeCodePage = JSONWriter.encode(.object(JSONObject([
            ("data", .array(claudeCode.map { .object($0) })), ("has_more", false), ("next_page", nil),
        ])))

        var buckets: [JSONObject] = []
        var results: [JSONValue] = []
        for (item, bucket) in await sandbox.servedItems(.usageReport) {
            if let bucket, buckets.last != bucket {
                if var last = buckets.popLast() {
                    last["results"] = .array(results)
                    buckets.append(last)
                }
                results = []
                buckets.append(bucket)
            }
            results.append(.object(item))
        }
        if var last = buckets.popLast() {
            last["results"] = .array(results)
            buckets.append(last)
        }
        let usageReportPage = JSONWriter.encode(.object(JSONObject([
            ("data", .array(buckets.prefix(31).map { .object($0) })), ("has_more", false), ("next_page", nil),
        ])))

        loaded = Fixtures(
            claudeCodePage: claudeCodePage, usageReportPage: usageReportPage, claudeCodeItems: claudeCode,
            claudeCodeRows: try decode(claudeCodePage, table: .claudeCodeUsage),
            usageReportRows: try decode(usageReportPage, table: .usageReport))
    }

    /// What the client does with a response body: parse it, then map every item (or bucket result) to a row.
    static func decode(_ page: [UInt8], table: AdminTable) throws -> [AdminRow] {
        let definition = table.definition
        guard case .object(let root) = try JSONParser.parse(page), case .array(let data)? = root["data"] else {
            throw CocoaError(.coderReadCorrupt)
        }
        var rows: [AdminRow] = []
        rows.reserveCapacity(data.count)
        for case .object(let item) in data {
            if case .array(let results)? = item["results"] {
                var bucket = item
                bucket["results"] = nil
                for case .object(let result) in results {
                    rows.append(try definition.makeRow(from: result, bucket: bucket))
                }
            } else {
                rows.append(try definition.makeRow(from: item))
            }
        }
        return rows
    }
}
