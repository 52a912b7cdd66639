import AdminClient
import AdminSandbox
import ArgumentParser
import Foundation
import Kafka
import Logging
import Streamer

/// `wan`: the Admin API far away and rate-limited. The sandbox answers through ``WANTransport``, which adds a
/// round-trip latency and enforces a server-side request limit (429 with `retry-after` beyond it), as the real
/// API would. The streamer runs with its default request settings; the floor is requests ÷ limit.
struct WANCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wan", abstract: "Backfill against a far, rate-limited Admin API: time against requests ÷ limit.")

    @Option(help: "Round-trip latency added to every request, in milliseconds.")
    var latencyMs = 150
    @Option(help: "Comma-separated server-side limits, requests per second.")
    var limits = "20,3"
    @Option(help: "Days of history.")
    var days = 120
    @Option(help: "Claude Code users (rows a day).")
    var users = 60
    @Option(help: "Experiments: the streamer runs with this `--max-buffered-mib` instead of the default.")
    var maxBufferedMib: Int?
    @Option(help: "Where to append the report (besides standard output).")
    var output = "results/wan.txt"

    func run() async throws {
        var lines: [String] = [
            "wan: sandbox Admin API behind \(latencyMs) ms of round trip and a server-side request limit (429 + retry-after "
                + "beyond it) → streamer backfill of every table with default request settings → mock cluster",
            "scenario: \(days) days × \(users) Claude Code rows a day; machine: \(ProcessInfo.processInfo.activeProcessorCount) cores; "
                + "\(Date())",
            "",
            "limit/s  requests  429s  429 %   seconds  floor s  vs floor  admitted/s",
        ]
        for text in limits.split(separator: ",") {
            guard let limit = Double(text), limit > 0 else { throw ValidationError("--limits: '\(text)' is not a rate") }
            let result = try await runOnce(limit: limit)
            let floor = Double(result.requests) / limit
            lines.append(
                String(
                    format: "%7.0f  %8d  %4d  %4.1f%%  %8.2f  %7.2f  %7.2fx  %10.1f", limit, result.requests, result.throttled,
                    100 * Double(result.throttled) / Double(max(1, result.requests + result.throttled)), result.seconds, floor,
                    result.seconds / floor, result.settledRate))
        }
        lines.append("")
        lines.append("targets: within 1.3x of the floor at 20 req/s; fewer than 10 % of requests answered 429 at 3 req/s")
        let report = lines.joined(separator: "\n") + "\n"
        print(report, terminator: "")
        try report.write(toFile: output, atomically: true, encoding: .utf8)
    }

    private struct Outcome {
        var requests = 0
        var throttled = 0
        var seconds = 0.0
        var settledRate = 0.0
    }

    private func runOnce(limit: Double) async throws -> Outcome {
        var sandboxConfiguration = SandboxConfiguration()
        let today = CalendarDay(containing: Date())
        sandboxConfiguration.today = today
        sandboxConfiguration.historyStart = today.adding(days: -(days - 1))
        sandboxConfiguration.claudeCodeRowsPerDay = users
        let sandbox = SandboxAdminAPI(configuration: sandboxConfiguration)
        let baseURL = try await sandbox.start()
        let cluster = try KafkaMockCluster(brokers: 3)
        var configuration = StreamerConfiguration()
        configuration.admin.baseURL = baseURL
        configuration.kafka = KafkaConfiguration(bootstrapServers: cluster.bootstrapServers)
        configuration.intervalStart = sandboxConfiguration.historyStart
        if let maxBufferedMib { configuration.maxBufferedBytes = maxBufferedMib << 20 }
        let transport = WANTransport(
            base: CurlTransport(), latency: .milliseconds(latencyMs),
            limit: ServerLimit(requestsPerSecond: limit))
        let streamer = try await Streamer.make(
            configuration: configuration, apiKey: try APIKey(sandboxConfiguration.adminKey), transport: transport,
            logger: childLogger())
        await transport.limit.reset()
        let clock = Stopwatch()
        _ = try await streamer.backfill()
        var outcome = Outcome()
        outcome.seconds = clock.seconds
        (outcome.requests, outcome.throttled) = await transport.limit.counts
        outcome.settledRate = await transport.observedRate
        try await sandbox.stop()
        withExtendedLifetime(cluster) {}
        return outcome
    }
}

/// A server-side request limit: a token bucket of one second's worth, refilled at `requestsPerSecond`.
actor ServerLimit {
    private let rate: Double
    private var tokens: Double
    private var updated = ContinuousClock.now
    private(set) var admitted = 0
    private(set) var refused = 0

    init(requestsPerSecond: Double) {
        rate = requestsPerSecond
        tokens = requestsPerSecond
    }

    var counts: (Int, Int) { (admitted, refused) }

    func reset() {
        admitted = 0
        refused = 0
    }

    /// `nil` when the request may go, else the seconds to wait (for `retry-after`).
    func admit() -> Int? {
        let now = ContinuousClock.now
        tokens = min(rate, tokens + (now - updated).timeInterval * rate)
        updated = now
        if tokens >= 1 {
            tokens -= 1
            admitted += 1
            return nil
        }
        refused += 1
        return max(1, Int(((1 - tokens) / rate).rounded(.up)))
    }
}

/// The sandbox as if it were far away and rate-limited.
final class WANTransport: HTTPTransport {
    let base: CurlTransport
    let latency: Duration
    let limit: ServerLimit
    private let started = ContinuousClock.now

    init(base: CurlTransport, latency: Duration, limit: ServerLimit) {
        self.base = base
        self.latency = latency
        self.limit = limit
    }

    /// Requests admitted per second since the start.
    var observedRate: Double {
        get async { Double(await limit.admitted) / max(0.001, (ContinuousClock.now - started).timeInterval) }
    }

    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        try await Task.sleep(for: latency / 2)
        if let retryAfter = await limit.admit() {
            try await Task.sleep(for: latency / 2)
            let body = #"{"type":"error","error":{"type":"rate_limit_error","message":"Rate limited"}}"#
            return HTTPResponse(status: 429, headers: ["retry-after": "\(retryAfter)"], body: Array(body.utf8))
        }
        let response = try await base.get(request)
        try await Task.sleep(for: latency / 2)
        return response
    }
}

extension Duration {
    var timeInterval: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}
