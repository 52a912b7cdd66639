import AdminClient
import AdminSandbox
import Testing

@Suite struct SandboxPaginationTests {
    /// Walks a list endpoint with `after_id` and returns every item read.
    static func walkList(_ client: SandboxHTTPClient, _ path: String, limit: Int, extra: [(String, String)] = [])
        async throws -> [JSONValue]
    {
        var items: [JSONValue] = []
        var after: String?
        for _ in 0..<1000 {
            var query = extra + [("limit", String(limit))]
            if let after { query.append(("after_id", after)) }
            let body = try await client.get(path, query).object()
            let data = try #require(body["data"]?.arrayValue)
            #expect(data.count <= limit)
            items += data
            guard body["has_more"] == true else { return items }
            after = try #require(body["last_id"]?.stringValue)
        }
        Issue.record("pagination did not end")
        return items
    }

    /// Walks a report endpoint with `page` and returns every (result, bucket) read.
    static func walkReport(_ client: SandboxHTTPClient, _ path: String, query: [(String, String)]) async throws
        -> [(JSONValue, JSONValue)]
    {
        var rows: [(JSONValue, JSONValue)] = []
        var page: String?
        for _ in 0..<1000 {
            var fullQuery = query
            if let page { fullQuery.append(("page", page)) }
            let response = try await client.get(path, fullQuery)
            let body = try response.object()
            if body["data"] == nil { Issue.record("\(response.status) \(String(decoding: response.body, as: UTF8.self))") }
            for bucket in try #require(body["data"]?.arrayValue) {
                var bare = try #require(bucket.objectValue)
                bare["results"] = nil
                for result in try #require(bucket["results"]?.arrayValue) { rows.append((result, .object(bare))) }
            }
            guard body["has_more"] == true else {
                #expect(body["next_page"] == .null)
                return rows
            }
            page = try #require(body["next_page"]?.stringValue)
            #expect(page?.hasPrefix("page_") == true)
        }
        Issue.record("pagination did not end")
        return rows
    }

    static func identities(_ items: [(item: JSONObject, bucket: JSONObject?)]) -> [String] {
        items.map { JSONValue.object($0.item).text + "|" + ($0.bucket.map { JSONValue.object($0).text } ?? "") }
    }

    @Test("rate limits: no limit serves every entry on one page; a limit pages with next_page; both match servedItems")
    func rateLimitPagination() async throws {
        try await withSandbox { sandbox, client in
            let served = await sandbox.servedItems(.rateLimits).map { JSONValue.object($0.item) }
            let whole = try await client.get("/v1/organizations/rate_limits").object()
            #expect(whole["data"]?.arrayValue == served)
            #expect(whole["has_more"] == false && whole["next_page"] == .null)
            for limit in [1, 3] {
                var read: [JSONValue] = []
                var page: String?
                repeat {
                    var query = [("limit", String(limit))]
                    if let page { query.append(("page", page)) }
                    let body = try await client.get("/v1/organizations/rate_limits", query).object()
                    read += try #require(body["data"]?.arrayValue)
                    page = body["next_page"]?.stringValue
                } while page != nil
                #expect(read == served, "limit \(limit)")
            }
            let overrides = await sandbox.servedItems(.workspaceRateLimits)
            #expect(!overrides.isEmpty)
            let workspaceID = try #require(overrides.first?.item["workspace_id"]?.stringValue)
            let body = try await client.get("/v1/organizations/workspaces/\(workspaceID)/rate_limits").object()
            #expect(body["data"]?.arrayValue == overrides.filter { $0.item["workspace_id"] == .string(workspaceID) }.map { .object($0.item) })
            #expect(try await client.get("/v1/organizations/rate_limits", [("limit", "0")]).status == 400)
            #expect(try await client.status("/v1/organizations/workspaces/wrkspc_01Nope/rate_limits") == 404)
        }
    }

    @Test(
        "list pagination walks every item exactly once and matches servedItems",
        arguments: [
            (AdminTable.users, "/v1/organizations/users", []),
            (.apiKeys, "/v1/organizations/api_keys", []),
            (.invites, "/v1/organizations/invites", []),
            (.workspaces, "/v1/organizations/workspaces", [("include_archived", "true"), ("include_default", "true")]),
        ] as [(AdminTable, String, [(String, String)])])
    func listPagination(table: AdminTable, path: String, extra: [(String, String)]) async throws {
        var configuration = SandboxConfiguration.testing
        configuration.users = 23
        configuration.apiKeys = 11
        configuration.invites = 7
        configuration.workspaces = 5
        try await withSandbox(configuration) { sandbox, client in
            let served = await sandbox.servedItems(table).map { JSONValue.object($0.item) }
            for limit in [1, 3, 20, 1000] {
                let read = try await Self.walkList(client, path, limit: limit, extra: extra)
                #expect(read == served, "limit \(limit)")
            }
        }
    }

    @Test("before_id pages backwards")
    func beforeID() async throws {
        var configuration = SandboxConfiguration.testing
        configuration.users = 10
        try await withSandbox(configuration) { sandbox, client in
            let served = await sandbox.servedItems(.users).map { JSONValue.object($0.item) }
            let lastID = try #require(served.last?["id"]?.stringValue)
            let body = try await client.get("/v1/organizations/users", [("limit", "4"), ("before_id", lastID)]).object()
            #expect(body["data"] == .array(Array(served[5..<9])))
            #expect(body["has_more"] == true)
        }
    }

    @Test("workspace members paginate over every workspace and match servedItems")
    func membersPagination() async throws {
        try await withSandbox { sandbox, client in
            var read: [JSONValue] = []
            for workspace in await sandbox.servedItems(.workspaces) where workspace.item["id"]?.stringValue != sandbox.defaultWorkspaceID {
                let id = try #require(workspace.item["id"]?.stringValue)
                read += try await Self.walkList(client, "/v1/organizations/workspaces/\(id)/members", limit: 2)
            }
            #expect(read == (await sandbox.servedItems(.workspaceMembers)).map { .object($0.item) })
        }
    }

    @Test("claude_code pagination walks every day's records exactly once and matches servedItems")
    func claudeCodePagination() async throws {
        try await withSandbox { sandbox, client in
            var read: [JSONValue] = []
            for day in SandboxConfiguration.testing.historyDays {
                var page: String?
                repeat {
                    var query = [("starting_at", day.description), ("limit", "2")]
                    if let page { query.append(("page", page)) }
                    let body = try await client.get("/v1/organizations/usage_report/claude_code", query).object()
                    read += try #require(body["data"]?.arrayValue)
                    page = body["next_page"]?.stringValue
                    #expect((body["has_more"] == true) == (page != nil))
                } while page != nil
            }
            #expect(read == (await sandbox.servedItems(.claudeCodeUsage)).map { .object($0.item) })
        }
    }

    @Test("a day of 1,000 claude_code records reads the same with limit 1000 and limit 100")
    func thousandRecords() async throws {
        var configuration = SandboxConfiguration.testing
        configuration.claudeCodeRowsPerDay = 1000
        configuration.historyStart = configuration.today
        try await withSandbox(configuration) { sandbox, client in
            let day = configuration.today.description
            let whole = try await client.get(
                "/v1/organizations/usage_report/claude_code", [("starting_at", day), ("limit", "1000")]
            ).object()
            #expect(whole["has_more"] == false)
            let all = try #require(whole["data"]?.arrayValue)
            #expect(all.count == 1000)

            var pages: [JSONValue] = []
            var page: String?
            var requests = 0
            repeat {
                var query = [("starting_at", day), ("limit", "100")]
                if let page { query.append(("page", page)) }
                let body = try await client.get("/v1/organizations/usage_report/claude_code", query).object()
                let data = try #require(body["data"]?.arrayValue)
                #expect(data.count == 100)
                pages += data
                page = body["next_page"]?.stringValue
                requests += 1
            } while page != nil
            #expect(requests == 10)
            #expect(pages == all)
            #expect(all == (await sandbox.servedItems(.claudeCodeUsage)).map { .object($0.item) })

            let keys = try all.map { try TableDefinition.claudeCodeUsage.makeRow(from: #require($0.objectValue)).key }
            #expect(Set(keys).count == 1000)
        }
    }

    @Test(
        "report pagination walks every bucket exactly once and matches servedItems",
        arguments: [(AdminTable.usageReport, false), (.usageReport, true), (.costReport, false), (.costReport, true)])
    func reportPagination(table: AdminTable, encodeBrackets: Bool) async throws {
        var configuration = SandboxConfiguration.testing
        configuration.usageResultsPerBucket = 9
        configuration.costResultsPerBucket = 7
        try await withSandbox(configuration) { sandbox, client in
            var client = client
            client.encodeBrackets = encodeBrackets
            let definition = table.definition
            let query =
                definition.fixedQuery.map { ($0.name, $0.value) } + [
                    ("starting_at", "2025-08-20T00:00:00Z"), ("ending_at", "2025-09-20T00:00:00Z"), ("limit", "3"),
                ]
            let read = try await Self.walkReport(client, definition.path, query: query)
            let served = await sandbox.servedItems(table)
            #expect(read.map { $0.0.text + "|" + $0.1.text } == Self.identities(served))
            #expect(served.count == 14 * (table == .usageReport ? 9 : 7))

            let rows = try served.map { try definition.makeRow(from: $0.item, bucket: $0.bucket) }
            #expect(Set(rows.map(\.key)).count == rows.count)

            let recorded = await sandbox.requests()
            #expect(recorded.allSatisfy { $0.status == 200 })
            #expect(recorded.first?.values(of: "group_by[]").isEmpty == false)
        }
    }

    @Test("report buckets run to today when ending_at is absent")
    func reportDefaultEnd() async throws {
        try await withSandbox { _, client in
            let rows = try await Self.walkReport(
                client, "/v1/organizations/cost_report", query: [("starting_at", "2025-09-10T05:30:00Z"), ("limit", "31")])
            let days = Set(rows.compactMap { $0.1["starting_at"]?.stringValue })
            #expect(days == ["2025-09-10T00:00:00Z", "2025-09-11T00:00:00Z", "2025-09-12T00:00:00Z",
                "2025-09-13T00:00:00Z", "2025-09-14T00:00:00Z"])
        }
    }
}
