import Testing

@testable import AdminClient

@Suite struct AdminClientErrorTests {
    @Test(
        "each final HTTP status maps to its code",
        arguments: [
            (400, AdminClientError.Code.badRequest), (401, .unauthorized), (403, .forbidden), (404, .notFound),
            (413, .badRequest), (429, .rateLimited), (500, .server), (529, .server),
        ])
    func statusMapping(status: Int, code: AdminClientError.Code) async throws {
        let harness = try Harness([.apiError(status, type: "some_error", message: "the API's words", requestID: "req_77")]) {
            $0.retry = .none
        }
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == code)
        #expect(error.status == status)
        #expect(error.endpoint == "/v1/organizations/users")
        #expect(error.requestID == "req_77")
        #expect(error.reason.contains("the API's words"))
    }

    @Test("401 says the key is not an Admin API key, with the API's message")
    func unauthorized() async throws {
        let harness = try Harness([.apiError(401, type: "authentication_error", message: "invalid x-api-key")])
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .unauthorized)
        #expect(error.reason.contains("this is not an Admin API key (it must start with sk-ant-admin)"))
        #expect(error.reason.contains("invalid x-api-key"))
    }

    @Test("404 is an error, never an empty result")
    func notFoundIsError() async throws {
        let harness = try Harness([.status(404)])
        let error = try #require(await harness.readError(.costReport, .day(CalendarDay("2025-09-01")!)))
        #expect(error.code == .notFound)
        #expect(error.endpoint == "/v1/organizations/cost_report")
    }

    @Test("the request id comes from the body when the header is missing")
    func requestIDFromBody() async throws {
        let body = #"{"type":"error","error":{"type":"permission_error","message":"no"},"request_id":"req_body"}"#
        let harness = try Harness([.status(403, body)])
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.requestID == "req_body")
        #expect(error.description.contains("[request-id req_body]"))
    }

    @Test("a non-JSON error body is described, not quoted")
    func nonJSONErrorBody() async throws {
        let harness = try Harness([.status(400, "<html>bad gateway</html>")])
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .badRequest)
        #expect(error.reason.contains("non-JSON body of 24 bytes"))
        #expect(!error.reason.contains("<html>"))
    }

    @Test(
        "malformed responses name the endpoint, the JSON path and what was expected, and are not retried",
        arguments: [
            (AdminTable.users, "<html>", "is not valid JSON: at $ (byte 0) expected a value"),
            (.users, #"{"has_more":false}"#, "$.data expected an array, found nothing"),
            (.users, #"{"data":{},"has_more":false}"#, "$.data expected an array, found object"),
            (.users, #"{"data":[]}"#, "$.has_more expected a boolean, found nothing"),
            (.users, #"{"data":[],"has_more":"no"}"#, "$.has_more expected a boolean, found string"),
            (.users, #"{"data":[],"has_more":true,"last_id":null}"#, "$.last_id expected a string when has_more is true"),
            (.users, #"{"data":[{"id":"u1"},7],"has_more":false}"#, "$.data[1] expected an object, found number"),
            (.users, #"{"data":[{"id":"u1"},{"email":"x"}],"has_more":false}"#, "$.data[1].id expected a value for id"),
            (.users, #"{"data":[{"id":"u1","added_at":5}],"has_more":false}"#, "expected a timestamp string, found number"),
            (.users, #"[]"#, "$ expected an object, found array"),
        ])
    func malformed(table: AdminTable, body: String, fragment: String) async throws {
        let harness = try Harness([.ok(body)])
        let error = try #require(await harness.readError(table, .snapshot))
        #expect(error.code == .malformedResponse)
        #expect(error.endpoint == "/v1/organizations/users")
        #expect(error.reason.contains("/v1/organizations/users"))
        #expect(error.reason.contains(fragment), "\(error.reason)")
        #expect(await harness.transport.requests.count == 1)
    }

    @Test("a bad report result names its bucket and result index")
    func malformedReportPath() async throws {
        let body = #"""
            {"data":[{"starting_at":"2025-09-01T00:00:00Z","ending_at":"2025-09-02T00:00:00Z","results":[]},
                     {"starting_at":"2025-09-02T00:00:00Z","ending_at":"2025-09-03T00:00:00Z",
                      "results":[{"amount":"1.5"},{"amount":"twelve"}]}],
             "has_more":false,"next_page":null}
            """#
        let harness = try Harness([.ok(body)])
        let error = try #require(await harness.readError(.costReport, .day(CalendarDay("2025-09-01")!)))
        #expect(error.code == .malformedResponse)
        #expect(error.reason.contains("$.data[1].results[1].amount expected a decimal string, found \"twelve\""))
    }

    @Test("a report bucket without results is malformed")
    func bucketWithoutResults() async throws {
        let body = #"{"data":[{"starting_at":"2025-09-01T00:00:00Z","ending_at":"2025-09-02T00:00:00Z"}],"has_more":false}"#
        let harness = try Harness([.ok(body)])
        let error = try #require(await harness.readError(.usageReport, .day(CalendarDay("2025-09-01")!)))
        #expect(error.reason.contains("$.data[0].results expected an array, found nothing"))
    }

    @Test("a claude_code_usage row with a wrong type names its path")
    func claudeCodeWrongType() async throws {
        let body = #"""
            {"data":[{"date":"2025-09-01","actor":{"type":"user_actor","email_address":"a@b"},
                      "core_metrics":{"lines_of_code":{"added":"many"}}}],"has_more":false,"next_page":null}
            """#
        let harness = try Harness([.ok(body)])
        let error = try #require(await harness.readError(.claudeCodeUsage, .day(CalendarDay("2025-09-01")!)))
        #expect(error.reason.contains("$.data[0].core_metrics.lines_of_code.added expected an integer, found string"))
    }

    @Test("an APIKey that is not an Admin key fails before any request")
    func invalidKey() {
        #expect {
            _ = try APIKey("sk-ant-api03-" + String(repeating: "x", count: 80))
        } throws: { error in
            (error as? AdminClientError)?.code == .invalidKey
        }
    }
}
