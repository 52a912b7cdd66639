import InMemoryLogging
import Logging
import Metrics
import MetricsTestKit
import Testing

@testable import AdminClient

@Suite struct AdminClientRetryTests {
    static let users = #"{"data":[],"has_more":false,"first_id":null,"last_id":null}"#

    @Test("retry-after in seconds is waited before the next attempt")
    func retryAfterSeconds() async throws {
        let harness = try Harness([
            .apiError(429, type: "rate_limit_error", message: "slow down", headers: ["retry-after": "7"]),
            .status(503, headers: ["Retry-After": "1.5"]),
            .ok(Self.users),
        ])
        _ = try await harness.collect(.users, .snapshot)
        #expect(await harness.clock.sleeps == [.seconds(7), .milliseconds(1500)])
        #expect(await harness.transport.requests.count == 3)
    }

    @Test("retry-after as an HTTP date waits until that time")
    func retryAfterHTTPDate() async throws {
        // The harness's wall clock is 2025-09-01T00:00:00Z.
        let harness = try Harness([
            .status(429, headers: ["retry-after": "Mon, 01 Sep 2025 00:00:42 GMT"]), .ok(Self.users),
        ])
        _ = try await harness.collect(.users, .snapshot)
        #expect(await harness.clock.sleeps == [.seconds(42)])
    }

    @Test("retry-after-ms wins over retry-after")
    func retryAfterMilliseconds() async throws {
        let harness = try Harness([
            .status(529, headers: ["retry-after-ms": "250", "retry-after": "9"]), .ok(Self.users),
        ])
        _ = try await harness.collect(.users, .snapshot)
        #expect(await harness.clock.sleeps == [.milliseconds(250)])
    }

    @Test("a retry-after longer than maxRetryAfter is cut to it")
    func retryAfterCapped() async throws {
        let harness = try Harness([.status(429, headers: ["retry-after": "100000"]), .ok(Self.users)])
        _ = try await harness.collect(.users, .snapshot)
        #expect(await harness.clock.sleeps == [.seconds(60)])
    }

    @Test("retry-after-ms: 1e30 waits the 60 s cap, inf and nan fall back to backoff; nothing crashes")
    func hostileRetryAfter() async throws {
        let harness = try Harness([
            .status(429, headers: ["retry-after-ms": "1e30"]),
            .status(429, headers: ["retry-after-ms": "inf"]),
            .status(429, headers: ["retry-after": "nan"]),
            .status(429, headers: ["retry-after-ms": "-5"]),
            .ok(Self.users),
        ]) {
            $0.retry.initialBackoff = .seconds(1)
        }
        _ = try await harness.collect(.users, .snapshot)
        // The harness's jitter returns the upper bound: attempts 2 and 3 back off 2 s and 4 s (1 s doubled).
        #expect(await harness.clock.sleeps == [.seconds(60), .seconds(2), .seconds(4), .zero])
    }

    @Test("without a hint the waits back off exponentially up to maxBackoff")
    func exponentialBackoff() async throws {
        let harness = try Harness(Array(repeating: .status(500), count: 7) + [.ok(Self.users)]) {
            $0.retry.initialBackoff = .seconds(1)
            $0.retry.maxBackoff = .seconds(10)
        }
        _ = try await harness.collect(.users, .snapshot)
        // The harness's jitter returns the upper bound: min(maxBackoff, initial * 2^n).
        #expect(
            await harness.clock.sleeps == [
                .seconds(1), .seconds(2), .seconds(4), .seconds(8), .seconds(10), .seconds(10), .seconds(10),
            ])
    }

    @Test("429 until the attempt limit gives up with .rateLimited, saying how many attempts")
    func givesUpRateLimited() async throws {
        let harness = try Harness(
            Array(repeating: .apiError(429, type: "rate_limit_error", message: "slow down", requestID: "req_429"), count: 3)
        ) { $0.retry.maxAttempts = 3 }
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .rateLimited)
        #expect(error.status == 429)
        #expect(error.requestID == "req_429")
        #expect(error.endpoint == "/v1/organizations/users")
        #expect(error.reason.contains("3 attempts"))
        #expect(error.reason.contains("slow down"))
        #expect(await harness.transport.requests.count == 3)
        #expect(await harness.clock.sleeps.count == 2)
    }

    @Test("a wait that would pass the deadline is not started")
    func deadline() async throws {
        let harness = try Harness([.status(503, headers: ["retry-after": "50"]), .status(503, headers: ["retry-after": "50"])]) {
            $0.retry.deadline = .seconds(60)
        }
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .server)
        #expect(error.reason.contains("deadline"))
        #expect(error.reason.contains("2 attempts"))
        #expect(await harness.clock.sleeps == [.seconds(50)])
    }

    @Test("no retry for 400, 401, 403, 404", arguments: [400, 401, 403, 404, 422])
    func noRetry(status: Int) async throws {
        let harness = try Harness([.apiError(status, type: "some_error", message: "no")])
        _ = await harness.readError(.users, .snapshot)
        #expect(await harness.transport.requests.count == 1)
        #expect(await harness.clock.sleeps.isEmpty)
    }

    @Test("408, 409, 429, 500, 502, 503, 504 and 529 are retried", arguments: [408, 409, 429, 500, 502, 503, 504, 529])
    func retried(status: Int) async throws {
        let harness = try Harness([.status(status), .ok(Self.users)])
        let pages = try await harness.collect(.users, .snapshot)
        #expect(pages.count == 1)
        #expect(await harness.transport.requests.count == 2)
    }

    @Test("a transport error is retried, and gives up with .transport")
    func transportErrors() async throws {
        let recovered = try Harness([.transportFailure(), .ok(Self.users)])
        _ = try await recovered.collect(.users, .snapshot)
        #expect(await recovered.transport.requests.count == 2)

        let failing = try Harness([.transportFailure(), .transportFailure()]) { $0.retry.maxAttempts = 2 }
        let error = try #require(await failing.readError(.users, .snapshot))
        #expect(error.code == .transport)
        #expect(error.status == nil)
        #expect(error.reason.contains("connection refused"))
        #expect(error.reason.contains("2 attempts"))
    }

    @Test("x-should-retry: false stops a retry the status would allow")
    func shouldRetryFalse() async throws {
        let harness = try Harness([.status(503, headers: ["x-should-retry": "false"])])
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .server)
        #expect(await harness.transport.requests.count == 1)
    }

    @Test("x-should-retry: true retries a status that would not be")
    func shouldRetryTrue() async throws {
        let harness = try Harness([.status(400, headers: ["x-should-retry": "true"]), .ok(Self.users)])
        _ = try await harness.collect(.users, .snapshot)
        #expect(await harness.transport.requests.count == 2)
    }

    @Test("Retry.none makes one attempt")
    func retryNone() async throws {
        let harness = try Harness([.status(500)]) { $0.retry = .none }
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .server)
        #expect(await harness.transport.requests.count == 1)
    }

    @Test("each wait is logged at debug with the documented metadata")
    func retryLogged() async throws {
        let harness = try Harness([.status(429, headers: ["retry-after": "2", "request-id": "req_x"]), .ok(Self.users)])
        _ = try await harness.collect(.users, .snapshot)
        let entry = try #require(harness.logs.entries.first { $0.message == "Retrying Admin API request" })
        #expect(entry.level == .debug)
        #expect(entry.metadata[LoggingKeys.endpoint] == "/v1/organizations/users")
        #expect(entry.metadata[LoggingKeys.attempt] == "1")
        #expect(entry.metadata[LoggingKeys.retryDelayMilliseconds] == "2000")
        #expect(entry.metadata[LoggingKeys.status] == "429")
        #expect(entry.metadata[LoggingKeys.requestID] == "req_x")
    }

    @Test("requests, retries and waits are counted per table")
    func metricsRecorded() async throws {
        let harness = try Harness([.status(429, headers: ["retry-after": "2"]), .transportFailure(), .ok(Self.users)])
        _ = try await harness.collect(.users, .snapshot)
        let metrics = harness.metrics
        #expect(
            metrics.counterTotal(label: MetricLabels.requests, dimensions: [("table", "users"), ("status", "429")]) == 1)
        #expect(
            metrics.counterTotal(
                label: MetricLabels.requests, dimensions: [("table", "users"), ("status", "transport_error")]) == 1)
        #expect(
            metrics.counterTotal(label: MetricLabels.requests, dimensions: [("table", "users"), ("status", "200")]) == 1)
        #expect(
            metrics.counterTotal(label: MetricLabels.retries, dimensions: [("table", "users"), ("reason", "rate_limited")])
                == 1)
        #expect(
            metrics.counterTotal(
                label: MetricLabels.retries, dimensions: [("table", "users"), ("reason", "transport_error")]) == 1)
        let wait = try metrics.expectTimer(MetricLabels.retryWait, [("table", "users")])
        #expect(wait.values.first == 2_000_000_000)
        let duration = try metrics.expectTimer(MetricLabels.requestDuration, [("table", "users")])
        #expect(duration.values.count == 3)
    }

    @Test("the rate limiter is acquired before every attempt")
    func rateLimiterPerAttempt() async throws {
        let waits = WaitRecorder()
        let limiter = RequestRateLimiter(
            requestsPerSecond: 1, burst: 1, now: { .zero }, sleep: { await waits.record($0) })
        let harness = try Harness([.status(500), .ok(Self.users)], rateLimiter: limiter)
        _ = try await harness.collect(.users, .snapshot)
        // The clock never moves: the first attempt takes the burst token, the second waits 1 s for its own.
        #expect(await waits.values == [.seconds(1)])
    }

    @Test("a cancelled task ends the read with .cancelled and sends nothing")
    func cancelled() async throws {
        let harness = try Harness([.status(500), .ok(Self.users)])
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await harness.readError(.users, .snapshot)
        }
        let error = await task.value
        #expect(error?.code == .cancelled)
        #expect(await harness.transport.requests.isEmpty)
    }
}

actor WaitRecorder {
    private(set) var values: [Duration] = []
    func record(_ duration: Duration) { values.append(duration) }
}
