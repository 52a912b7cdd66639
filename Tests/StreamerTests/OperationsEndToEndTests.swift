import AdminClient
import AdminSandbox
import Foundation
import Kafka
import Logging
import Prometheus
import Synchronization
import Testing

@testable import Streamer

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The operations surface of an in-process streamer: `/metrics` after a sandbox backfill, `/ready` following
/// the brokers, JSON log lines, and the progress a backfill reports.
@Suite struct OperationsEndToEndTests {
    @Test("/metrics after a backfill shows rows, events, requests, rate-limit waits, transactions, lag and queue depth")
    func metricsAfterBackfill() async throws {
        let world = try await EndToEnd.start(days: 3)
        defer { Task { await world.stop() } }
        let started = Date()
        let (registry, outcomes) = try await ScopedMetrics.collect {
            try await world.makeStreamer().backfill()
        }
        let routes = OperationsServer.Routes(metrics: { PrometheusBootstrap.exposition(registry) }, readiness: { nil })
        let response = try await withOperationsServer(routes) { port in try await OperationsHTTP.get(port, "/metrics") }
        #expect(response.status == 200)
        let text = response.body
        let metrics = PrometheusSamples(text)
        // Prometheus conventions: every family has HELP, counters end in _total, every family is a known one.
        let lines = text.split(separator: "\n").map(String.init)
        let known = Set(PrometheusBootstrap.families.map(\.name))
        for (index, line) in lines.enumerated() where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            #expect(index > 0 && lines[index - 1].hasPrefix("# HELP \(parts[2]) "), "HELP before \(line)")
            #expect(known.contains(String(parts[2])), "\(parts[2]) is listed in PrometheusBootstrap.families")
            if parts[3] == "counter" { #expect(parts[2].hasSuffix("_total"), "\(line)") }
        }

        #expect(text.contains("# TYPE streamer_events_produced_total counter"))
        #expect(metrics.value("streamer_events_produced_total", ["table": "users"]) == Double(world.sandboxConfiguration.users))
        for table in AdminTable.allCases {
            let outcome = try #require(outcomes[table])
            #expect(metrics.value("streamer_rows_fetched_total", ["table": table.name]) == Double(outcome.rowsFetched), "\(table)")
            #expect(metrics.value("streamer_events_produced_total", ["table": table.name]) == Double(outcome.eventsPublished), "\(table)")
            let lastSuccess = try #require(metrics.value("streamer_poll_last_success_timestamp_seconds", ["table": table.name]))
            #expect(lastSuccess >= started.timeIntervalSince1970.rounded(.down) && lastSuccess <= Date().timeIntervalSince1970)
            let lag = try #require(metrics.value("streamer_checkpoint_lag_seconds", ["table": table.name]), "\(table)")
            if table.definition.cursorKind == .snapshot {
                #expect(lag >= 0 && lag < 600, "\(table): snapshot just taken")
            } else {
                // Published as final up to today - settle days (2): the first unpublished day is yesterday.
                #expect(lag >= 86_400 && lag < 2 * 86_400, "\(table): \(lag)")
            }
        }

        // Requests by table, endpoint (ids replaced) and status; every attempt took a rate-limit token.
        #expect((metrics.value("admin_requests_total", ["table": "users", "endpoint": "/v1/organizations/users", "status": "200"]) ?? 0) >= 1)
        #expect(
            (metrics.value("admin_requests_total", ["endpoint": "/v1/organizations/workspaces/{id}/members", "status": "200"]) ?? 0)
                >= Double(world.sandboxConfiguration.workspaces))
        let requests = try #require(metrics.value("admin_requests_total"))
        #expect(metrics.value("admin_rate_limit_wait_seconds_count") == requests)
        #expect(metrics.value("admin_rate_limit_wait_seconds_sum") != nil)
        #expect(metrics.value("admin_retries_total") == nil, "the sandbox answered every request the first time")

        // Pages of every table share transactions: at least one, never more than one per page (each state table
        // also hands over a closing page: tombstones and the completed snapshot).
        let pages = outcomes.values.map(\.pages).reduce(0, +)
        let stateTables = AdminTable.allCases.filter { $0.definition.cursorKind == .snapshot }.count
        let committed = try #require(metrics.value("streamer_transactions_committed_total"))
        #expect(committed >= 1 && committed <= Double(pages + stateTables))
        #expect(metrics.value("streamer_transactions_aborted_total") == 0)
        #expect(metrics.value("streamer_queue_depth") == 0, "everything acknowledged")

        // Low cardinality: no organization, workspace or user id in any label.
        let labelValues = metrics.samples.flatMap(\.labels.values)
        #expect(!labelValues.contains { $0.contains(world.sandboxConfiguration.organizationID) })
        #expect(!labelValues.contains { $0.contains("wrkspc_") || $0.contains("user_") || $0.contains("@") })
    }

    @Test("/ready turns 503 when every broker is down and 200 when they are back; /health stays 200")
    func readinessFollowsBrokers() async throws {
        let world = try await EndToEnd.start(days: 1)
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = [.organization]
        let streamer = try await world.makeStreamer(configuration)
        let routes = OperationsServer.Routes(metrics: { [] }, readiness: { await streamer.readiness() })
        try await withOperationsServer(routes) { port in
            let ready = try await OperationsHTTP.get(port, "/ready")
            #expect(ready.status == 200 && ready.body == "ready\n")

            for broker in world.cluster.brokerIDs { world.cluster.setBrokerDown(broker) }
            let down = try await OperationsHTTP.poll(port, "/ready", until: 503)
            #expect(down.body.hasPrefix("not ready: brokers unreachable (\(world.cluster.bootstrapServers))"))
            #expect(try await OperationsHTTP.get(port, "/health").status == 200, "alive while the brokers are down")

            for broker in world.cluster.brokerIDs { world.cluster.setBrokerUp(broker) }
            let back = try await OperationsHTTP.poll(port, "/ready", until: 200)
            #expect(back.body == "ready\n")
        }
        // Closes the producer.
        _ = try? await streamer.backfill()
    }

    @Test("JSON log lines of a backfill parse, carry ts, level, label, message and metadata, and hold no secret")
    func jsonLogLines() async throws {
        let adminKey = "sk-ant-admin01-" + "Jh7Qm2Vx9Lp4Rt6Wz1Nc8Bd3Kf5Gs0Ya" + String(repeating: "q7", count: 20)
        let world = try await EndToEnd.start(days: 2) { $0.adminKey = adminKey }
        defer { Task { await world.stop() } }
        let sink = TextSink()
        var logger = Logger(label: "streamer") { label in
            JSONLogHandler(label: label) { line in sink.append(line) }
        }
        logger.logLevel = .trace
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage, .users]
        let streamer = try await Streamer.make(configuration: configuration, apiKey: try world.apiKey, logger: logger)
        _ = try await streamer.backfill()
        logger.info("Metadata cannot shadow the fixed keys", metadata: ["message": "shadow", "level": "shadow", "ts": "0"])

        let written = sink.lines
        #expect(written.count > 5, "the backfill logged")
        let levels = Set(Logger.Level.allCases.map(\.rawValue))
        for line in written {
            #expect(line.hasSuffix("\n") && line.dropLast().firstIndex(of: "\n") == nil, "one object per line")
            let object = try #require(try JSONParser.parse(Array(line.utf8)).objectValue, "\(line)")
            #expect(object.keys == ["ts", "level", "label", "message", "metadata"])
            let ts = try #require(object["ts"]?.stringValue)
            #expect(ts.count == 24 && ts.hasSuffix("Z") && CalendarDay(prefixOf: ts) != nil, "\(ts)")
            #expect(levels.contains(object["level"]?.stringValue ?? ""))
            #expect(object["label"]?.stringValue == "streamer")
            #expect(object["message"]?.stringValue?.isEmpty == false)
            #expect(object["metadata"]?.objectValue != nil)
            #expect(!line.contains(adminKey.dropFirst(15).prefix(12)), "no byte of the key")
        }
        let pagePublished = try #require(written.compactMap { try? JSONParser.parse(Array($0.utf8)) }.first { $0["message"]?.stringValue == "Page published" })
        #expect(pagePublished["metadata"]?["streamer.table"]?.stringValue == "claude_code_usage")
        #expect(pagePublished["metadata"]?["anthropic.organization_id"]?.stringValue == world.sandboxConfiguration.organizationID)
        let shadow = try #require(written.last.map { try JSONParser.parse(Array($0.utf8)) })
        #expect(shadow["message"]?.stringValue == "Metadata cannot shadow the fixed keys")
        #expect(shadow["level"]?.stringValue == "info")
        #expect(shadow["metadata"]?["message"]?.stringValue == "shadow")
    }

    @Test("plain-line progress of a small backfill ends with one line per table matching the days and rows done")
    func progressLines() async throws {
        let days = 4
        let world = try await EndToEnd.start(days: days)
        defer { Task { await world.stop() } }
        var configuration = world.configuration()
        configuration.tables = [.claudeCodeUsage, .usageReport, .costReport, .users, .workspaceMembers]
        let progress = BackfillProgress()
        let streamer = try await Streamer.make(
            configuration: configuration, apiKey: try world.apiKey, progress: progress, logger: world.logger)
        let output = TextSink()
        let display = BackfillProgressDisplay(progress: progress, mode: .lines, interval: .milliseconds(20)) { text in
            output.append(text)
        }
        let outcomes = try await display.showing { () async throws(StreamerError) in try await streamer.backfill() }

        let lines = output.text.split(separator: "\n").map(String.init)
        #expect(lines.allSatisfy { $0.hasPrefix("backfill ") }, "\(lines)")
        for table in configuration.tables {
            let outcome = try #require(outcomes[table])
            let tableLines = lines.filter { $0.hasPrefix("backfill \(table.name): ") }
            let finals = tableLines.filter { $0.contains(": done, ") }
            try #require(finals.count == 1, "\(table): one final line in \(tableLines)")
            let final = finals[0]
            #expect(tableLines.last == final, "\(table): nothing after the final line")
            #expect(ProgressLine.rows(final) == outcome.rowsFetched, "\(final)")
            if table.definition.cursorKind == .snapshot {
                #expect(final.contains(": done, snapshot, "), "\(final)")
            } else {
                #expect(ProgressLine.days(final)?.done == days && ProgressLine.days(final)?.total == days, "\(final)")
            }
            // Lines drawn while it ran never run ahead of what was done.
            for line in tableLines.dropLast() {
                #expect((ProgressLine.rows(line) ?? 0) <= outcome.rowsFetched, "\(line)")
                if let partial = ProgressLine.days(line) { #expect(partial.done <= partial.total && partial.total == days) }
            }
        }
    }

    @Test("`streamer backfill` prints progress on standard error when it is not a terminal; --no-progress turns it off")
    func backfillCommandProgress() async throws {
        let world = try await EndToEnd.start(days: 3)
        defer { Task { await world.stop() } }
        let environment = ["ANTHROPIC_ADMIN_KEY": world.sandboxConfiguration.adminKey, "ANTHROPIC_BASE_URL": world.baseURL]
        func arguments(_ tables: String, _ extra: [String] = []) -> [String] {
            [
                "backfill", "--bootstrap-servers", world.cluster.bootstrapServers, "--tables", tables,
                "--interval-start", "\(world.sandboxConfiguration.historyStart)", "--requests-per-second", "1000",
                "--log-level", "warning",
            ] + extra
        }
        let shown = try StreamerProcess(arguments: arguments("users,cost_report"), environment: environment)
        #expect(try await shown.waitForExit() == 0, "\(shown.standardError.suffix(2000))")
        #expect(shown.standardError.contains("backfill users: done, snapshot, \(world.sandboxConfiguration.users) rows in "))
        #expect(shown.standardError.contains("backfill cost_report: done, 3/3 days, "))
        #expect(!shown.standardOutput.contains("backfill "), "progress stays off standard output")

        let quiet = try StreamerProcess(arguments: arguments("invites", ["--no-progress"]), environment: environment)
        #expect(try await quiet.waitForExit() == 0, "\(quiet.standardError.suffix(2000))")
        #expect(!quiet.standardError.contains("backfill invites"))
        #expect(quiet.standardOutput.contains("invites: "))
    }

    @Test("a progress line names days done of days total, rows, rate and ETA; finished ones their totals")
    func progressLineFormat() {
        let start = Date(timeIntervalSince1970: 1_756_684_800)
        var table = BackfillProgress.Table(table: .usageReport, daysTotal: 30, startedAt: start)
        table.daysDone = 10
        table.rows = 1234
        #expect(
            BackfillProgressDisplay.describe(table, now: start.addingTimeInterval(20), name: "usage_report")
                == "usage_report: 10/30 days, 1234 rows, 61.7 rows/s, ETA 40.0s")
        table.daysDone = 30
        table.finishedAt = start.addingTimeInterval(200)
        #expect(
            BackfillProgressDisplay.describe(table, now: start.addingTimeInterval(300), name: "usage_report")
                == "usage_report: done, 30/30 days, 1234 rows in 3m20s (6.2 rows/s)")
        let snapshot = BackfillProgress.Table(table: .users, daysTotal: nil, rows: 12, startedAt: start, finishedAt: nil)
        #expect(
            BackfillProgressDisplay.describe(snapshot, now: start.addingTimeInterval(4), name: "users")
                == "users: snapshot, 12 rows, 3.0 rows/s")
    }

    @Test("on a terminal the final draw rewrites the table lines in place")
    func terminalRedraw() async throws {
        let progress = BackfillProgress()
        let output = TextSink()
        let display = BackfillProgressDisplay(progress: progress, mode: .terminal, interval: .seconds(3600)) { text in
            output.append(text)
        }
        await display.showing {
            await progress.started(.users)
            await progress.started(.costReport)
            await progress.planned(.costReport, days: 2)
            await progress.published(.costReport, rows: 7, daysDone: 2)
            await progress.finished(.costReport, failed: false)
            await progress.published(.users, rows: 3, daysDone: 0)
            await progress.finished(.users, failed: true)
        }
        let text = output.text
        let lines = text.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("\u{1B}[2Kcost_report: done, 2/2 days, 7 rows in "))
        #expect(lines[1].hasPrefix("\u{1B}[2Kusers      : failed, snapshot, 3 rows in "))
    }
}

/// Text written from any thread, collected in order.
final class TextSink: Sendable {
    private let parts = Mutex<[String]>([])

    func append(_ text: String) { parts.withLock { $0.append(text) } }
    var lines: [String] { parts.withLock { $0 } }
    var text: String { lines.joined() }
}

/// Reads the numbers back out of a progress line.
enum ProgressLine {
    /// `12/30 days` → (12, 30).
    static func days(_ line: String) -> (done: Int, total: Int)? {
        guard let range = line.range(of: " days,") else { return nil }
        let fraction = line[..<range.lowerBound].split(separator: " ").last ?? ""
        let parts = fraction.split(separator: "/")
        guard parts.count == 2, let done = Int(parts[0]), let total = Int(parts[1]) else { return nil }
        return (done, total)
    }

    /// `1234 rows` → 1234.
    static func rows(_ line: String) -> Int? {
        guard let range = line.range(of: " rows") else { return nil }
        return (line[..<range.lowerBound].split(separator: " ").last).flatMap { Int($0) }
    }
}

/// Runs an ``OperationsServer`` on a free loopback port for the duration of `body`.
func withOperationsServer<T>(
    _ routes: OperationsServer.Routes, _ body: (Int) async throws -> T
) async throws -> T {
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let server = OperationsServer(host: "127.0.0.1", port: 0, routes: routes, logger: Logger(label: "operations-test")) {
        continuation.yield($0)
    }
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        do {
            let result = try await body(port)
            group.cancelAll()
            return result
        } catch {
            group.cancelAll()
            throw error
        }
    }
}

/// GETs against the operations endpoint.
enum OperationsHTTP {
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
        var request = URLRequest(url: url)
        request.timeoutInterval = 30
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// GETs `path` until it answers `status` (librdkafka notices a broker going down or up within seconds);
    /// fails after a minute.
    static func poll(_ port: Int, _ path: String, until status: Int) async throws -> (status: Int, body: String) {
        let deadline = ContinuousClock.now + .seconds(60)
        while true {
            let response = try await get(port, path)
            if response.status == status { return response }
            try #require(ContinuousClock.now < deadline, "\(path) still answers \(response.status): \(response.body)")
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
