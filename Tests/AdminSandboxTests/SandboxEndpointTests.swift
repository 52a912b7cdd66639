import AdminClient
import AdminSandbox
import Testing

@Suite struct SandboxEndpointTests {
    static let listPaths = [
        "/v1/organizations/users", "/v1/organizations/workspaces", "/v1/organizations/api_keys",
        "/v1/organizations/invites",
    ]

    @Test("organization answers id, type and name with a request-id header")
    func organization() async throws {
        try await withSandbox { _, client in
            let response = try await client.get("/v1/organizations/me")
            #expect(response.status == 200)
            #expect(response.headers["request-id"]?.hasPrefix("req_") == true)
            #expect(response.headers["content-type"] == "application/json")
            let body = try response.object()
            #expect(body.keys == ["id", "type", "name"])
            #expect(body["id"] == .string(SandboxConfiguration.testing.organizationID))
            #expect(body["type"] == "organization")
            #expect(body["name"] == "Sandbox Org")
        }
    }

    @Test("a wrong key answers 401 with the documented error body")
    func wrongKey() async throws {
        try await withSandbox { sandbox, client in
            var client = client
            client.key = "sk-ant-admin01-wrong"
            let response = try await client.get("/v1/organizations/users")
            #expect(response.status == 401)
            let body = try response.object()
            #expect(body.keys == ["type", "error", "request_id"])
            #expect(body["type"] == "error")
            #expect(body["error"]?["type"] == "authentication_error")
            #expect(body["error"]?["message"] == "invalid x-api-key")
            #expect(body["request_id"]?.stringValue == response.headers["request-id"])
            let recorded = try #require(await sandbox.requests().last)
            #expect(!recorded.isAuthorized)
            #expect(recorded.status == 401)
            #expect(!"\(recorded)".contains("sk-ant-admin01-wrong"))
        }
    }

    @Test("a missing or wrong anthropic-version answers 400 invalid_request_error")
    func version() async throws {
        try await withSandbox { _, client in
            for version in [nil, "2020-01-01"] as [String?] {
                var client = client
                client.version = version
                let response = try await client.get("/v1/organizations/me")
                #expect(response.status == 400)
                #expect(try response.json()["error"]?["type"] == "invalid_request_error")
            }
        }
    }

    @Test("list endpoints answer data, has_more, first_id and last_id", arguments: listPaths)
    func listShape(path: String) async throws {
        try await withSandbox { _, client in
            let body = try await client.get(path).object()
            #expect(body.keys == ["data", "has_more", "first_id", "last_id"])
            let data = try #require(body["data"]?.arrayValue)
            #expect(!data.isEmpty)
            #expect(body["first_id"] == data.first?["id"])
            #expect(body["last_id"] == data.last?["id"])
            #expect(body["has_more"] == false)
        }
    }

    @Test("entities carry their documented fields and id prefixes")
    func entityFields() async throws {
        try await withSandbox { sandbox, client in
            let user = try #require(try await client.get("/v1/organizations/users").json()["data"]?.arrayValue?.first)
            #expect(user.objectValue?.keys == ["type", "id", "email", "name", "role", "added_at"])
            #expect(user["id"]?.stringValue?.hasPrefix("user_01") == true)
            #expect(user["added_at"]?.stringValue?.count == "2024-10-30T23:58:27.427722Z".count)

            let keys = try #require(try await client.get("/v1/organizations/api_keys").json()["data"]?.arrayValue)
            #expect(keys.count == 6)
            for key in keys {
                #expect(key.objectValue?.keys == [
                    "id", "type", "name", "workspace_id", "created_at", "created_by", "partial_key_hint", "status",
                    "expires_at", "scope", "principal",
                ])
                #expect(key["id"]?.stringValue?.hasPrefix("apikey_01") == true)
            }
            // The deprecated workspace_id is null for the default workspace's keys; scope names it.
            #expect(keys.contains { $0["workspace_id"] == .null && $0["scope"]?["workspace_id"] == .string(sandbox.defaultWorkspaceID) })
            #expect(keys.contains { $0["scope"]?["type"] == "organization" && $0["principal"]?["type"] == "user_actor" })
            #expect(keys.contains { $0["status"] == "expired" && $0["expires_at"]?.stringValue != nil })
            #expect(keys.allSatisfy { key in
                key["workspace_id"] == .null || key["workspace_id"] == key["scope"]?["workspace_id"]
            })
            #expect(keys.contains { $0["workspace_id"]?.stringValue?.hasPrefix("wrkspc_01") == true })
            #expect(keys.contains { $0["created_by"]?["type"] == "user" })

            let invite = try #require(try await client.get("/v1/organizations/invites").json()["data"]?.arrayValue?.first)
            #expect(invite.objectValue?.keys == ["id", "type", "email", "role", "invited_at", "expires_at", "status"])
            #expect(invite["id"]?.stringValue?.hasPrefix("invite_01") == true)
        }
    }

    @Test("workspaces omit the archived one unless include_archived=true")
    func archivedWorkspaces() async throws {
        try await withSandbox { sandbox, client in
            let active = try #require(try await client.get("/v1/organizations/workspaces").json()["data"]?.arrayValue)
            #expect(active.count == 3)
            #expect(active.allSatisfy { $0["archived_at"] == .null })
            let all = try #require(
                try await client.get("/v1/organizations/workspaces", [("include_archived", "true")]).json()["data"]?
                    .arrayValue)
            #expect(all.count == 4)
            #expect(all.filter { $0["archived_at"]?.stringValue != nil }.count == 1)
            #expect(all.first?.objectValue?.keys == ["id", "type", "name", "created_at", "archived_at", "display_color"])
            #expect(!all.contains { $0["id"] == .string(sandbox.defaultWorkspaceID) })
        }
    }

    @Test("usage grouped by speed needs the fast-mode beta header; the new dimensions are filled when grouped")
    func usageSpeedBeta() async throws {
        try await withSandbox { _, client in
            let query = [
                ("starting_at", "2025-09-02T00:00:00Z"), ("group_by[]", "model"), ("group_by[]", "speed"),
                ("group_by[]", "inference_geo"), ("group_by[]", "account_id"),
            ]
            let refused = try await client.get("/v1/organizations/usage_report/messages", query)
            #expect(refused.status == 400)
            var beta = client
            beta.extraHeaders = ["anthropic-beta": "fast-mode-2026-02-01"]
            let body = try await beta.get("/v1/organizations/usage_report/messages", query).object()
            let results = try #require(body["data"]?.arrayValue?.first?["results"]?.arrayValue)
            #expect(!results.isEmpty)
            #expect(results.allSatisfy { ["fast", "standard"].contains($0["speed"]?.stringValue) })
            #expect(results.allSatisfy { $0["api_key_id"] == .null && $0["workspace_id"] == .null })
        }
    }

    @Test("the default workspace is listed first, and only with include_default=true")
    func defaultWorkspace() async throws {
        try await withSandbox { sandbox, client in
            let all = try #require(
                try await client.get("/v1/organizations/workspaces", [("include_default", "true")]).json()["data"]?.arrayValue)
            #expect(all.count == 4)
            #expect(all.first?["id"] == .string(sandbox.defaultWorkspaceID))
            #expect(all.first?["type"] == "workspace", "the API does not mark it: it is the one a plain listing lacks")
        }
    }

    @Test("workspace members list each workspace's members; an unknown workspace is 404")
    func members() async throws {
        try await withSandbox { sandbox, client in
            let workspaces = await sandbox.servedItems(.workspaces)
            let id = try #require(workspaces.dropFirst().first?.item["id"]?.stringValue, "the first is the default one")
            #expect(workspaces.first?.item["id"]?.stringValue == sandbox.defaultWorkspaceID)
            let body = try await client.get("/v1/organizations/workspaces/\(id)/members").object()
            let data = try #require(body["data"]?.arrayValue)
            #expect(!data.isEmpty)
            #expect(data.allSatisfy { $0["workspace_id"] == .string(id) && $0["type"] == "workspace_member" })
            #expect(body["first_id"] == data.first?["user_id"])

            let missing = try await client.get("/v1/organizations/workspaces/wrkspc_01Nope/members")
            #expect(missing.status == 404)
            #expect(try missing.json()["error"]?["type"] == "not_found_error")
        }
    }

    @Test(
        "limit out of range answers 400 invalid_request_error",
        arguments: [
            ("/v1/organizations/users", "0"), ("/v1/organizations/users", "1001"), ("/v1/organizations/invites", "x"),
            ("/v1/organizations/usage_report/claude_code?starting_at=2025-09-01", "1001"),
            ("/v1/organizations/usage_report/messages?starting_at=2025-09-01T00:00:00Z", "32"),
            ("/v1/organizations/cost_report?starting_at=2025-09-01T00:00:00Z", "0"),
        ])
    func limitOutOfRange(path: String, limit: String) async throws {
        try await withSandbox { _, client in
            let separator = path.contains("?") ? "&" : "?"
            let response = try await client.get(path + separator + "limit=" + limit)
            #expect(response.status == 400)
            let body = try response.object()
            #expect(body["type"] == "error")
            #expect(body["error"]?["type"] == "invalid_request_error")
            #expect(body["request_id"]?.stringValue?.hasPrefix("req_") == true)
        }
    }

    @Test("claude_code rejects starting_at that is not YYYY-MM-DD")
    func claudeCodeStartingAt() async throws {
        try await withSandbox { _, client in
            for value in ["2025-09-01T00:00:00Z", "2025-9-1", "yesterday"] {
                let response = try await client.get("/v1/organizations/usage_report/claude_code", [("starting_at", value)])
                #expect(response.status == 400)
            }
            let missing = try await client.get("/v1/organizations/usage_report/claude_code")
            #expect(missing.status == 400)
        }
    }

    @Test("claude_code records have the documented shape and unique keys")
    func claudeCodeShape() async throws {
        try await withSandbox { _, client in
            let response = try await client.get(
                "/v1/organizations/usage_report/claude_code", [("starting_at", "2025-09-03"), ("limit", "1000")])
            #expect(JSONWriter.encode(try response.json()) == response.body)  // compact, canonical bytes
            let body = try response.object()
            #expect(body.keys == ["data", "has_more", "next_page"])
            #expect(body["next_page"] == .null)
            let data = try #require(body["data"]?.arrayValue)
            #expect(data.count == 5)
            for record in data {
                #expect(record["date"] == "2025-09-03T00:00:00Z")
                #expect(["user_actor", "api_actor"].contains(record["actor"]?["type"]?.stringValue))
                #expect(record["core_metrics"]?["lines_of_code"]?["added"]?.numberValue != nil)
                #expect(record["tool_actions"]?.objectValue != nil)
                let models = try #require(record["model_breakdown"]?.arrayValue)
                #expect((1...3).contains(models.count))
                #expect(models.allSatisfy { $0["estimated_cost"]?["currency"] == "USD" })
            }
            let rows = try data.map { try TableDefinition.claudeCodeUsage.makeRow(from: #require($0.objectValue)) }
            #expect(Set(rows.map(\.key)).count == rows.count)
        }
    }

    @Test("days outside history give empty claude_code data and empty report buckets")
    func outsideHistory() async throws {
        try await withSandbox { _, client in
            let code = try await client.get("/v1/organizations/usage_report/claude_code", [("starting_at", "2025-08-31")])
                .object()
            #expect(code["data"] == [])
            #expect(code["has_more"] == false)

            let usage = try await client.get(
                "/v1/organizations/usage_report/messages",
                [("starting_at", "2025-08-30T00:00:00Z"), ("ending_at", "2025-09-02T00:00:00Z")]
            ).object()
            let buckets = try #require(usage["data"]?.arrayValue)
            #expect(buckets.map { $0["starting_at"]?.stringValue } == [
                "2025-08-30T00:00:00Z", "2025-08-31T00:00:00Z", "2025-09-01T00:00:00Z",
            ])
            #expect(buckets[0]["results"] == [])
            #expect(buckets[0]["ending_at"] == "2025-08-31T00:00:00Z")
            #expect(buckets[2]["results"]?.arrayValue?.count == 1)  // ungrouped: one row per bucket
        }
    }

    @Test("usage results leave dimensions null unless grouped by them")
    func usageDimensions() async throws {
        try await withSandbox { _, client in
            let query = [("starting_at", "2025-09-02T00:00:00Z"), ("ending_at", "2025-09-03T00:00:00Z")]
            let plain = try await client.get("/v1/organizations/usage_report/messages", query).json()
            let row = try #require(plain["data"]?.arrayValue?.first?["results"]?.arrayValue?.first)
            #expect(row.objectValue?.keys == [
                "api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo", "account_id",
                "service_account_id", "speed", "uncached_input_tokens", "cache_read_input_tokens", "cache_creation",
                "output_tokens", "server_tool_use",
            ])
            for dimension in [
                "api_key_id", "workspace_id", "model", "service_tier", "context_window", "inference_geo", "account_id",
                "service_account_id", "speed",
            ] {
                #expect(row[dimension] == .null)
            }
            let grouped = try await client.get(
                "/v1/organizations/usage_report/messages", query + [("group_by[]", "model"), ("group_by[]", "service_tier")]
            ).json()
            let rows = try #require(grouped["data"]?.arrayValue?.first?["results"]?.arrayValue)
            #expect(rows.allSatisfy { $0["model"]?.stringValue?.hasPrefix("claude-") == true && $0["api_key_id"] == .null })
            let total = { (rows: [JSONValue]) in rows.compactMap { $0["output_tokens"]?.numberValue?.intValue }.reduce(0, +) }
            #expect(total(rows) == row["output_tokens"]?.numberValue?.intValue)
        }
    }

    @Test("report parameters are validated")
    func reportValidation() async throws {
        try await withSandbox { _, client in
            let cases: [(String, [(String, String)])] = [
                ("/v1/organizations/usage_report/messages", []),
                ("/v1/organizations/usage_report/messages", [("starting_at", "2025-09-01")]),
                ("/v1/organizations/usage_report/messages", [("starting_at", "2025-09-01T00:00:00Z"), ("bucket_width", "1h")]),
                ("/v1/organizations/usage_report/messages", [("starting_at", "2025-09-01T00:00:00Z"), ("group_by[]", "colour")]),
                ("/v1/organizations/cost_report", [("starting_at", "2025-09-01T00:00:00Z"), ("group_by[]", "model")]),
                ("/v1/organizations/cost_report", [("starting_at", "2025-09-01T00:00:00Z"), ("page", "page_bogus")]),
                ("/v1/organizations/cost_report", [
                    ("starting_at", "2025-09-02T00:00:00Z"), ("ending_at", "2025-09-01T00:00:00Z"),
                ]),
            ]
            for (path, query) in cases {
                let response = try await client.get(path, query)
                #expect(response.status == 400, "\(path) \(query)")
            }
        }
    }

    @Test("cost amounts are decimal strings in cents")
    func costAmounts() async throws {
        try await withSandbox { _, client in
            let body = try await client.get(
                "/v1/organizations/cost_report",
                [("starting_at", "2025-09-05T00:00:00Z"), ("group_by[]", "workspace_id"), ("group_by[]", "description")]
            ).json()
            let results = try #require(body["data"]?.arrayValue?.first?["results"]?.arrayValue)
            #expect(results.count == 3)
            for result in results {
                let amount = try #require(result["amount"]?.stringValue)
                #expect(JSONNumber(validating: amount) != nil)
                #expect((amount.split(separator: ".").dropFirst().first?.count ?? 0) <= 4)
                #expect(result["currency"] == "USD")
                #expect(result["description"]?.stringValue != nil)
                #expect(result["cost_type"]?.stringValue != nil)
            }
        }
    }

    @Test("unknown paths answer 404 not_found_error")
    func unknownPath() async throws {
        try await withSandbox { _, client in
            let response = try await client.get("/v1/organizations/nothing")
            #expect(response.status == 404)
            #expect(try response.json()["error"]?["type"] == "not_found_error")
        }
    }
}
