import AdminClient
import AdminSandbox
import Testing

@Suite struct SandboxFaultTests {
    @Test("429 carries retry-after, retry-after-ms and rate_limit_error, then the API is healthy again")
    func rateLimited() async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.rateLimited(count: 2, retryAfterSeconds: 3))
            for _ in 0..<2 {
                let response = try await client.get("/v1/organizations/users")
                #expect(response.status == 429)
                #expect(response.headers["retry-after"] == "3")
                #expect(response.headers["retry-after-ms"] == "3000")
                #expect(response.headers["request-id"]?.hasPrefix("req_") == true)
                #expect(try response.json()["error"]?["type"] == "rate_limit_error")
            }
            #expect(try await client.get("/v1/organizations/users").status == 200)
        }
    }

    @Test("529 answers overloaded_error and 500 api_error", arguments: [(529, "overloaded_error"), (500, "api_error")])
    func serverErrors(status: Int, type: String) async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.serverErrors(count: 1, status: status))
            let response = try await client.get("/v1/organizations/me")
            #expect(response.status == status)
            let body = try response.object()
            #expect(body["type"] == "error")
            #expect(body["error"]?["type"] == .string(type))
            #expect(try await client.status("/v1/organizations/me") == 200)
        }
    }

    @Test("faults do not apply to unauthenticated requests")
    func faultsNeedAuthentication() async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.serverErrors(count: 1, status: 500))
            var anonymous = client
            anonymous.key = nil
            #expect(try await anonymous.status("/v1/organizations/me") == 401)
            #expect(try await client.status("/v1/organizations/me") == 500)
        }
    }

    @Test(
        "a malformed page is served once on a matching path, then healthy",
        arguments: [
            ("/v1/organizations/usage_report/claude_code", [("starting_at", "2025-09-02")]),
            ("/v1/organizations/usage_report/messages", [("starting_at", "2025-09-02T00:00:00Z")]),
            ("/v1/organizations/cost_report", [("starting_at", "2025-09-02T00:00:00Z")]),
            ("/v1/organizations/users", []),
        ] as [(String, [(String, String)])])
    func malformedPage(path: String, query: [(String, String)]) async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.malformedPage(count: 1, pathPrefix: path))
            // Another path is not affected and does not use the fault up.
            #expect(try await client.get("/v1/organizations/me").object()["id"]?.stringValue != nil)

            let bad = try await client.get(path, query)
            #expect(bad.status == 200)
            #expect(try Self.isWellShaped(bad.json(), path: path) == false)

            let good = try await client.get(path, query)
            #expect(try Self.isWellShaped(good.json(), path: path))
        }
    }

    @Test(
        "colliding rows: the first row is served twice under one key, once, on a matching path",
        arguments: [
            ("/v1/organizations/usage_report/claude_code", [("starting_at", "2025-09-02")]),
            ("/v1/organizations/cost_report", [("starting_at", "2025-09-02T00:00:00Z")]),
            ("/v1/organizations/users", []),
        ] as [(String, [(String, String)])])
    func collidingRows(path: String, query: [(String, String)]) async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.collidingRows(count: 1, pathPrefix: path))
            let table = try #require(AdminTable.allCases.first { $0.definition.path == path })
            func keys(_ body: JSONValue) throws -> [JSONObject] {
                try (body["data"]?.arrayValue ?? []).flatMap { element -> [JSONObject] in
                    if let results = element["results"]?.arrayValue {
                        return try results.map {
                            try table.definition.makeRow(from: #require($0.objectValue), bucket: element.objectValue).key
                        }
                    }
                    return [try table.definition.makeRow(from: #require(element.objectValue)).key]
                }
            }
            let bad = try keys(try await client.get(path, query).json())
            #expect(Set(bad).count == bad.count - 1, "exactly one key twice")
            let good = try keys(try await client.get(path, query).json())
            #expect(Set(good).count == good.count)
        }
    }

    @Test("an unavailable endpoint answers 403 permission_error or 404 not_found_error; other paths are served", arguments: [403, 404])
    func unavailable(status: Int) async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.unavailable(count: .max, pathPrefix: "/v1/organizations/cost_report", status: status))
            for _ in 0..<3 {
                let answer = try await client.get("/v1/organizations/cost_report", [("starting_at", "2025-09-02T00:00:00Z")])
                #expect(answer.status == status)
                #expect(try answer.json()["error"]?["type"] == (status == 403 ? "permission_error" : "not_found_error"))
            }
            #expect(try await client.status("/v1/organizations/users") == 200)
        }
    }

    /// `true` when every row maps with the table's definition.
    static func isWellShaped(_ body: JSONValue, path: String) throws -> Bool {
        guard let data = body["data"]?.arrayValue else { return false }
        let table = try #require(AdminTable.allCases.first { $0.definition.path == path })
        do {
            for element in data {
                guard let object = element.objectValue else { return false }
                if table.definition.rowLocation == .bucketResults {
                    for result in object["results"]?.arrayValue ?? [] {
                        guard let result = result.objectValue else { return false }
                        _ = try table.definition.makeRow(from: result, bucket: object)
                    }
                } else {
                    _ = try table.definition.makeRow(from: object)
                }
            }
            return true
        } catch {
            return false
        }
    }

    @Test("a slow response still answers normally and uses up the fault")
    func slow() async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.slow(count: 1, delay: .milliseconds(20)))
            await sandbox.inject(.serverErrors(count: 1, status: 503))
            #expect(try await client.status("/v1/organizations/me") == 200)
            #expect(try await client.status("/v1/organizations/me") == 503)
            #expect(try await client.status("/v1/organizations/me") == 200)
        }
    }

    @Test("clearFaults drops queued faults")
    func clear() async throws {
        try await withSandbox { sandbox, client throws in
            await sandbox.inject(.serverErrors(count: 5, status: 500))
            await sandbox.clearFaults()
            #expect(try await client.status("/v1/organizations/me") == 200)
        }
    }
}
