import MetricsTestKit
import Testing

@testable import AdminClient

/// The client's operations metrics: the rate limiter's waits and the `endpoint` dimension of `admin.requests`.
@Suite struct OperationsMetricsTests {
    @Test("every acquisition records its wait for the budget in admin.rate_limit.wait, zero when there was room")
    func rateLimitWaitRecorded() async throws {
        let metrics = TestMetrics()
        let limiter = RequestRateLimiter(
            requestsPerSecond: 2, burst: 1, now: { .zero }, sleep: { _ in }, metricsFactory: metrics)
        for _ in 0..<3 { try await limiter.acquire() }
        let timer = try metrics.expectTimer(MetricLabels.rateLimitWait)
        #expect(timer.values == [0, 500_000_000, 1_000_000_000])
    }

    @Test(
        "the endpoint dimension replaces ids with {id}",
        arguments: [
            ("/v1/organizations/workspaces/wrkspc_01AbC/members", "/v1/organizations/workspaces/{id}/members"),
            ("/v1/organizations/workspaces", "/v1/organizations/workspaces"),
            ("/v1/organizations/users/user_01X", "/v1/organizations/users/{id}"),
            ("/v1/organizations/usage_report/claude_code", "/v1/organizations/usage_report/claude_code"),
            ("/v1/organizations/me", "/v1/organizations/me"),
        ])
    func endpointTemplate(path: String, expected: String) {
        #expect(ClientMetrics.endpoint(path) == expected)
    }

    @Test("admin.requests counts by table, endpoint and status")
    func requestsByEndpoint() async throws {
        let harness = try Harness([.ok(AdminClientRetryTests.users)])
        _ = try await harness.collect(.users, .snapshot)
        #expect(
            harness.metrics.counterTotal(
                label: MetricLabels.requests,
                dimensions: [("table", "users"), ("endpoint", "/v1/organizations/users"), ("status", "200")]) == 1)
    }
}
