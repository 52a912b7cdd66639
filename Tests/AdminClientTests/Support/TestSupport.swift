import Foundation
import InMemoryLogging
import Logging
import MetricsTestKit
import Testing

@testable import AdminClient

/// A monotonic clock that only moves when the client sleeps, recording every sleep.
actor FakeClock {
    private(set) var sleeps: [Duration] = []
    private(set) var now: Duration = .zero

    func sleep(_ duration: Duration) throws {
        try Task.checkCancellation()
        sleeps.append(duration)
        now += duration
    }
}

enum TestKeys {
    /// A realistic Admin key: `sk-ant-admin01-` and 80 characters.
    static let secret = "sk-ant-admin01-" + String(repeating: "Ab3xZ9-_Qw", count: 8)
    static let key = try! APIKey(secret)
}

/// Everything a test needs around one client.
struct Harness {
    let client: AdminClient
    let transport: FakeTransport
    let clock: FakeClock
    let logs: InMemoryLogHandler
    let metrics: TestMetrics

    static let wallClock = Date(timeIntervalSince1970: 1_756_684_800)  // 2025-09-01T00:00:00Z

    init(
        _ steps: [FakeTransport.Step], configure: (inout AdminClientConfiguration) -> Void = { _ in },
        rateLimiter: RequestRateLimiter? = nil
    ) throws {
        var configuration = AdminClientConfiguration()
        configure(&configuration)
        let transport = FakeTransport(steps)
        let clock = FakeClock()
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "admin-client-tests", factory: { _ in logs })
        logger.logLevel = .trace
        let metrics = TestMetrics()
        let environment = RetryEnvironment(
            sleep: { try await clock.sleep($0) },
            uptime: { await clock.now },
            wallClock: { Harness.wallClock },
            jitter: { $0 })  // the full upper bound, so backoffs are exact
        self.client = try AdminClient(
            configuration: configuration, apiKey: TestKeys.key, transport: transport, rateLimiter: rateLimiter,
            logger: logger, environment: environment, metricsFactory: metrics)
        self.transport = transport
        self.clock = clock
        self.logs = logs
        self.metrics = metrics
    }

    /// Every page of a read, or the error that ended it.
    func collect(_ table: AdminTable, _ query: TableQuery, resumeToken: String? = nil) async throws(AdminClientError)
        -> [AdminPage]
    {
        var pages: [AdminPage] = []
        for try await page in client.pages(table, query: query, resumeToken: resumeToken) {
            pages.append(page)
        }
        return pages
    }

    /// The error a read ends with (records an issue when it succeeds).
    func readError(
        _ table: AdminTable, _ query: TableQuery, sourceLocation: SourceLocation = #_sourceLocation
    ) async -> AdminClientError? {
        do {
            _ = try await collect(table, query)
            Issue.record("expected an error", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }
}

/// A JSON object literal as a `JSONObject`.
func object(_ value: JSONValue) -> JSONObject {
    value.objectValue ?? JSONObject()
}

/// A decimal literal as a JSON number.
func decimal(_ literal: String) -> JSONValue {
    .number(JSONNumber(uncheckedLiteral: literal))
}

let baseURL = "https://api.anthropic.com"
