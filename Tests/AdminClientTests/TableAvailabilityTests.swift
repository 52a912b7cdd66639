import Testing

@testable import AdminClient

@Suite struct TableAvailabilityTests {
    @Test(
        "403 anywhere, or 404 on an endpoint naming no workspace, means the organization cannot use the table",
        arguments: [
            (AdminClientError.Code.forbidden, "/v1/organizations/cost_report", true),
            (.forbidden, "/v1/organizations/workspaces/wrkspc_1/members", true),
            (.notFound, "/v1/organizations/rate_limits", true),
            (.notFound, "/v1/organizations/workspaces", true),
            (.notFound, "/v1/organizations/workspaces/wrkspc_1/members", false),
            (.notFound, "/v1/organizations/workspaces/wrkspc_1/rate_limits", false),
            (.server, "/v1/organizations/cost_report", false),
            (.unauthorized, "/v1/organizations/cost_report", false),
        ])
    func unavailability(code: AdminClientError.Code, endpoint: String, unavailable: Bool) {
        #expect(AdminClientError(code: code, reason: "x", endpoint: endpoint).isTableUnavailable == unavailable)
    }

    @Test("a readable table answers its first page; nothing more is read")
    func readable() async throws {
        let harness = try Harness([.ok(#"{"data":[],"has_more":true,"first_id":"a","last_id":"b"}"#)])
        #expect(await harness.client.availability(of: .users, on: try #require(CalendarDay("2025-09-01"))) == .readable)
        #expect(await harness.transport.requests.count == 1)
    }

    @Test("a 403 is reported as unavailable, without retries")
    func forbidden() async throws {
        let harness = try Harness([.apiError(403, type: "permission_error", message: "not for your plan")])
        let availability = await harness.client.availability(of: .costReport, on: try #require(CalendarDay("2025-09-01")))
        #expect(availability == .unavailable(status: 403))
        #expect("\(availability)" == "not available to this organization (HTTP 403)")
    }

    @Test("a 500 after retries is not taken for unavailability")
    func serverError() async throws {
        let harness = try Harness(
            [.apiError(500, type: "api_error", message: "boom")], configure: { $0.retry.maxAttempts = 1 })
        let availability = await harness.client.availability(of: .users, on: try #require(CalendarDay("2025-09-01")))
        guard case .failed = availability else {
            Issue.record("expected .failed, got \(availability)")
            return
        }
    }
}
