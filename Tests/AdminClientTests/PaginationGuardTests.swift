import Testing

@testable import AdminClient

/// A hostile or broken API cannot make a listing loop or run on for ever.
@Suite struct PaginationGuardTests {
    static let day = CalendarDay("2025-09-01")!

    static func reportPage(_ actor: String, next: String?) -> FakeTransport.Step {
        let nextPage = next.map { "\"\($0)\"" } ?? "null"
        return .ok(
            #"{"data":[{"date":"2025-09-01","actor":{"type":"api_actor","api_key_name":"\#(actor)"},"terminal_type":"cli"}],"has_more":\#(next != nil),"next_page":\#(nextPage)}"#,
            requestID: "req_\(actor)")
    }

    static func listPage(_ id: String, more: Bool, kind: String = "user") -> FakeTransport.Step {
        .ok(#"{"data":[{"type":"\#(kind)","id":"\#(id)","email":"\#(id)@example.com","name":"\#(id)"}],"has_more":\#(more),"first_id":"\#(id)","last_id":"\#(id)"}"#)
    }

    /// Every page a read yielded before it failed, and the error.
    static func read(
        _ harness: Harness, _ table: AdminTable, _ query: TableQuery, resumeToken: String? = nil
    ) async -> (pages: [AdminPage], error: AdminClientError?) {
        var pages: [AdminPage] = []
        var iterator = harness.client.pages(table, query: query, resumeToken: resumeToken).makeAsyncIterator()
        do {
            while let page = try await iterator.next() { pages.append(page) }
            return (pages, nil)
        } catch {
            return (pages, error)
        }
    }

    @Test("a next_page that repeats for ever stops the series on the second request, with its page not yielded")
    func repeatingNextPage() async throws {
        let harness = try Harness(Array(repeating: Self.reportPage("a", next: "page_same"), count: 50))
        let (pages, error) = await Self.read(harness, .claudeCodeUsage, .day(Self.day))
        #expect(error?.code == .runawayPagination)
        #expect(error?.reason.contains("next_page") == true)
        #expect(error?.endpoint == "/v1/organizations/usage_report/claude_code")
        #expect(pages.count == 1)
        #expect(await harness.transport.requests.count == 2)
    }

    @Test("a cursor cycle (A, B, A) is caught when the first cursor comes back")
    func cursorCycle() async throws {
        let harness = try Harness(
            [Self.reportPage("a", next: "A"), Self.reportPage("b", next: "B"), Self.reportPage("c", next: "A")]
                + Array(repeating: Self.reportPage("x", next: "B"), count: 10))
        let (pages, error) = await Self.read(harness, .claudeCodeUsage, .day(Self.day))
        #expect(error?.code == .runawayPagination)
        #expect(pages.map(\.nextToken) == ["A", "B"])
        #expect(await harness.transport.requests.count == 3)
    }

    @Test("a resume token that comes straight back yields nothing")
    func resumeTokenComesBack() async throws {
        let harness = try Harness(Array(repeating: Self.reportPage("a", next: "page_2"), count: 5))
        let (pages, error) = await Self.read(harness, .claudeCodeUsage, .day(Self.day), resumeToken: "page_2")
        #expect(error?.code == .runawayPagination)
        #expect(pages.isEmpty)
        #expect(await harness.transport.requests.count == 1)
    }

    @Test("a last_id that repeats on a list endpoint stops the listing")
    func repeatingLastID() async throws {
        let harness = try Harness(Array(repeating: Self.listPage("user_1", more: true), count: 50))
        let (pages, error) = await Self.read(harness, .users, .snapshot)
        #expect(error?.code == .runawayPagination)
        #expect(error?.reason.contains("last_id") == true)
        #expect(pages.count == 1)
        #expect(await harness.transport.requests.count == 2)
    }

    @Test("more pages than maxPagesPerSeries fail the series after exactly that many requests")
    func pageCap() async throws {
        let steps = (1...10).map { Self.reportPage("a\($0)", next: "page_\($0)") }
        let harness = try Harness(steps) { $0.pagination.maxPagesPerSeries = 3 }
        let (pages, error) = await Self.read(harness, .claudeCodeUsage, .day(Self.day))
        #expect(error?.code == .runawayPagination)
        #expect(error?.reason.contains("3 pages") == true)
        #expect(pages.count == 2)
        #expect(await harness.transport.requests.count == 3)
    }

    @Test("a listing of exactly maxPagesPerSeries pages is fine")
    func pageCapExactly() async throws {
        let harness = try Harness([
            Self.reportPage("a", next: "p1"), Self.reportPage("b", next: "p2"), Self.reportPage("c", next: nil),
        ]) { $0.pagination.maxPagesPerSeries = 3 }
        let (pages, error) = await Self.read(harness, .claudeCodeUsage, .day(Self.day))
        #expect(error == nil)
        #expect(pages.count == 3)
    }

    @Test("a repeating workspaces listing behind workspace_members stops before any member is read")
    func repeatingWorkspaces() async throws {
        let harness = try Harness(Array(repeating: Self.listPage("wrkspc_1", more: true, kind: "workspace"), count: 50))
        let (pages, error) = await Self.read(harness, .workspaceMembers, .snapshot)
        #expect(error?.code == .runawayPagination)
        #expect(pages.isEmpty)
        #expect(await harness.transport.urls.allSatisfy { $0.contains("/workspaces?") })
        #expect(await harness.transport.requests.count == 2)
    }

    @Test("a workspaces listing that repeats its workspaces under fresh cursors stops too")
    func repeatingWorkspaceIDs() async throws {
        let page = #"{"data":[{"type":"workspace","id":"wrkspc_1","name":"w"}],"has_more":true,"first_id":"x","last_id":"#
        let steps = (1...20).map { FakeTransport.Step.ok(page + #""cursor_\#($0)"}"#) }
        let harness = try Harness(steps)
        let (pages, error) = await Self.read(harness, .workspaceMembers, .snapshot)
        #expect(error?.code == .runawayPagination)
        #expect(error?.reason.contains("same workspace twice") == true)
        #expect(pages.isEmpty)
        #expect(await harness.transport.requests.count == 2)
    }

    @Test("one workspace's looping member listing fails, and the guard starts afresh per workspace")
    func memberListingLoops() async throws {
        let workspaces = #"{"data":[{"type":"workspace","id":"wrkspc_1","name":"a"},{"type":"workspace","id":"wrkspc_2","name":"b"}],"has_more":false,"first_id":"wrkspc_1","last_id":"wrkspc_2"}"#
        let member = #"{"data":[{"type":"workspace_member","user_id":"user_1","workspace_id":"wrkspc_1","workspace_role":"workspace_user"}],"has_more":true,"first_id":"user_1","last_id":"user_1"}"#
        let harness = try Harness([.ok(workspaces), .ok(member), .ok(member)])
        let (pages, error) = await Self.read(harness, .workspaceMembers, .snapshot)
        #expect(error?.code == .runawayPagination)
        #expect(error?.endpoint == "/v1/organizations/workspaces/wrkspc_1/members")
        #expect(pages.count == 1)
    }

    @Test("after one series fails, other series on the same client go on")
    func otherSeriesGoOn() async throws {
        let harness = try Harness(
            [Self.reportPage("a", next: "loop"), Self.reportPage("a", next: "loop"), Self.listPage("user_1", more: false)])
        let (_, error) = await Self.read(harness, .claudeCodeUsage, .day(Self.day))
        #expect(error?.code == .runawayPagination)
        let (users, usersError) = await Self.read(harness, .users, .snapshot)
        #expect(usersError == nil)
        #expect(users.flatMap(\.rows).map { $0["id"] } == ["user_1"])
    }

    @Test("the page cap is validated")
    func capValidated() {
        var configuration = AdminClientConfiguration()
        configuration.pagination.maxPagesPerSeries = 0
        #expect(throws: AdminClientError.self) { try configuration.validate() }
        configuration.pagination.maxPagesPerSeries = 100_000
        #expect(throws: Never.self) { try configuration.validate() }
    }
}
