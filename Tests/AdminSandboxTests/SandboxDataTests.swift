import AdminClient
import AdminSandbox
import Testing

@Suite struct SandboxDataTests {
    @Test("revise(day) changes values but not keys, and only that day")
    func revise() async throws {
        let sandbox = SandboxAdminAPI(configuration: .testing)
        let day = CalendarDay("2025-09-05")!
        for table in [AdminTable.claudeCodeUsage, .usageReport, .costReport] {
            let before = try await sandbox.servedItems(table).map { try table.definition.makeRow(from: $0.item, bucket: $0.bucket) }
            await sandbox.revise(day: day)
            let after = try await sandbox.servedItems(table).map { try table.definition.makeRow(from: $0.item, bucket: $0.bucket) }
            #expect(before.map(\.key) == after.map(\.key), "\(table)")
            let onDay = { (row: AdminRow) in
                (row["date"] ?? row["bucket"]) == .string(day.midnightTimestamp)
            }
            let changed = zip(before, after).filter { $0 != $1 }
            #expect(!changed.isEmpty, "\(table)")
            #expect(changed.allSatisfy { onDay($0.0) }, "\(table)")
        }
    }

    @Test("after revise(day) the next fetch serves new numbers under the same keys")
    func reviseOverHTTP() async throws {
        try await withSandbox { sandbox, client in
            let query = [("starting_at", "2025-09-07"), ("limit", "1000")]
            let path = "/v1/organizations/usage_report/claude_code"
            let before = try #require(try await client.get(path, query).json()["data"]?.arrayValue)
            await sandbox.revise(day: CalendarDay("2025-09-07")!)
            let after = try #require(try await client.get(path, query).json()["data"]?.arrayValue)
            let keys = { (records: [JSONValue]) in
                try records.map { try TableDefinition.claudeCodeUsage.makeRow(from: #require($0.objectValue)).key }
            }
            #expect(try keys(before) == keys(after))
            #expect(before != after)
            #expect(after == (await sandbox.servedItems(.claudeCodeUsage)).filter {
                $0.item["date"] == "2025-09-07T00:00:00Z"
            }.map { .object($0.item) })
        }
    }

    @Test("concurrent requests are all answered and recorded")
    func concurrency() async throws {
        try await withSandbox { sandbox, client in
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<24 {
                    group.addTask {
                        try await client.get(
                            "/v1/organizations/usage_report/claude_code", [("starting_at", "2025-09-0\(index % 9 + 1)")]
                        ).status
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses == Array(repeating: 200, count: 24))
            #expect(await sandbox.requestCount == 24)
            #expect(Set(await sandbox.requests().map(\.requestID)).count == 24)
        }
    }

    @Test("deleting an API key, an invite or a membership removes it from the next listing")
    func deletions() async throws {
        try await withSandbox { sandbox, client in
            let keyID = try #require(await sandbox.servedItems(.apiKeys)[1].item["id"]?.stringValue)
            let inviteID = try #require(await sandbox.servedItems(.invites)[0].item["id"]?.stringValue)
            let member = try #require(await sandbox.servedItems(.workspaceMembers).last?.item)
            let workspaceID = try #require(member["workspace_id"]?.stringValue)
            let userID = try #require(member["user_id"]?.stringValue)

            await sandbox.deleteAPIKey(id: keyID)
            await sandbox.deleteInvite(id: inviteID)
            await sandbox.removeWorkspaceMember(workspaceID: workspaceID, userID: userID)

            let keys = try #require(try await client.get("/v1/organizations/api_keys").json()["data"]?.arrayValue)
            #expect(keys.count == 5)
            #expect(!keys.contains { $0["id"] == .string(keyID) })
            let invites = try #require(try await client.get("/v1/organizations/invites").json()["data"]?.arrayValue)
            #expect(!invites.contains { $0["id"] == .string(inviteID) })
            let members = try #require(
                try await client.get("/v1/organizations/workspaces/\(workspaceID)/members").json()["data"]?.arrayValue)
            #expect(!members.contains { $0["user_id"] == .string(userID) })

            #expect(await sandbox.servedItems(.apiKeys).count == 5)
            #expect(!(await sandbox.servedItems(.workspaceMembers)).contains { $0.item == member })
        }
    }

    @Test("a page cursor past a deleted item still continues after it")
    func afterDeletedID() async throws {
        try await withSandbox { sandbox, client in
            let served = await sandbox.servedItems(.apiKeys).map(\.item)
            let first = try await client.get("/v1/organizations/api_keys", [("limit", "2")]).object()
            let lastID = try #require(first["last_id"]?.stringValue)
            await sandbox.deleteAPIKey(id: lastID)
            let next = try await client.get("/v1/organizations/api_keys", [("limit", "10"), ("after_id", lastID)]).object()
            #expect(next["data"] == .array(served[2...].map { .object($0) }))
        }
    }

    @Test("the same configuration serves byte-identical responses")
    func determinism() async throws {
        let paths: [(String, [(String, String)])] = [
            ("/v1/organizations/users", []),
            ("/v1/organizations/api_keys", []),
            ("/v1/organizations/usage_report/claude_code", [("starting_at", "2025-09-04")]),
            ("/v1/organizations/usage_report/messages", [("starting_at", "2025-09-01T00:00:00Z"), ("group_by[]", "model")]),
            ("/v1/organizations/cost_report", [("starting_at", "2025-09-01T00:00:00Z"), ("group_by[]", "description")]),
            ("/v1/organizations/nowhere", []),
        ]
        func run() async throws -> [[UInt8]] {
            try await withSandbox { _, client in
                var bodies: [[UInt8]] = []
                for (path, query) in paths { bodies.append(try await client.get(path, query).body) }
                return bodies
            }
        }
        let first = try await run()
        let second = try await run()
        #expect(first == second)

        var other = SandboxConfiguration.testing
        other.seed = 7
        let third = try await withSandbox(other) { _, client in try await client.get("/v1/organizations/users").body }
        #expect(third != first[0])
    }

    @Test("every served item of every table maps to a row with a unique key")
    func everyTableMaps() async throws {
        var configuration = SandboxConfiguration.testing
        configuration.claudeCodeRowsPerDay = 120
        configuration.usageResultsPerBucket = 40
        configuration.costResultsPerBucket = 30
        let sandbox = SandboxAdminAPI(configuration: configuration)
        for table in AdminTable.allCases {
            let items = await sandbox.servedItems(table)
            #expect(!items.isEmpty, "\(table)")
            let rows = try items.map { try table.definition.makeRow(from: $0.item, bucket: $0.bucket) }
            #expect(Set(rows.map(\.key)).count == rows.count, "\(table)")
        }
        #expect(await sandbox.servedItems(.usageReport).count == 14 * 40)
        #expect(await sandbox.servedItems(.costReport).count == 14 * 30)
    }

    @Test("remote and local usage of one actor, terminal and day are separate records, told apart only by is_remote")
    func claudeCodeRemoteTwins() async throws {
        var configuration = SandboxConfiguration.testing
        configuration.claudeCodeRowsPerDay = 120
        let sandbox = SandboxAdminAPI(configuration: configuration)
        let rows = try await sandbox.servedItems(.claudeCodeUsage).map {
            try TableDefinition.claudeCodeUsage.makeRow(from: $0.item)
        }
        // The seed's key (date, actor_type, actor_id, terminal_type) collides once per remote/local pair...
        let seedKeys = rows.map { row in ["date", "actor_type", "actor_id", "terminal_type"].map { row[$0] ?? .null } }
        let collisions = seedKeys.count - Set(seedKeys).count
        #expect(collisions == configuration.historyDays.count * (120 / 5))
        // ...the key with is_remote never does.
        #expect(Set(rows.map(\.key)).count == rows.count)
        #expect(rows.allSatisfy { $0["is_remote"]?.boolValue != nil })
        #expect(rows.contains { $0["is_remote"] == true } && rows.contains { $0["is_remote"] == false })
    }

    @Test("requests are recorded without the key's value")
    func recording() async throws {
        try await withSandbox { sandbox, client in
            _ = try await client.get("/v1/organizations/users", [("limit", "5")])
            #expect(await sandbox.requestCount == 1)
            let request = try #require(await sandbox.requests().first)
            #expect(request.path == "/v1/organizations/users")
            #expect(request.value(of: "limit") == "5")
            #expect(request.headers["anthropic-version"] == "2023-06-01")
            #expect(request.headers["x-api-key"] == nil)
            #expect(request.isAuthorized)
            #expect(!"\(request)".contains(SandboxConfiguration.testing.adminKey))
        }
    }

    @Test("start answers a loopback base URL and stop closes it")
    func lifecycle() async throws {
        let sandbox = SandboxAdminAPI(configuration: .testing)
        let url = try await sandbox.start()
        #expect(url.hasPrefix("http://127.0.0.1:"))
        #expect(await sandbox.baseURL == url)
        await #expect(throws: SandboxError.self) { try await sandbox.start() }
        try await sandbox.stop()
        #expect(await sandbox.baseURL == nil)
        try await sandbox.stop()
    }
}
