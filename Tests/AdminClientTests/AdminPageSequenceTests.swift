import Testing

@testable import AdminClient

@Suite struct AdminPageSequenceTests {
    static let day = CalendarDay("2025-09-01")!

    static func reportPage(_ user: String, next: String?) -> FakeTransport.Step {
        let nextPage = next.map { "\"\($0)\"" } ?? "null"
        return .ok(
            #"{"data":[{"date":"2025-09-01","actor":{"type":"api_actor","api_key_name":"\#(user)"},"terminal_type":"cli"}],"has_more":\#(next != nil),"next_page":\#(nextPage)}"#,
            requestID: "req_\(user)")
    }

    static func listPage(_ id: String, more: Bool) -> FakeTransport.Step {
        .ok(#"{"data":[{"type":"user","id":"\#(id)","email":"\#(id)@example.com"}],"has_more":\#(more),"first_id":"\#(id)","last_id":"\#(id)"}"#)
    }

    @Test("report pages follow next_page with the same parameters until has_more is false")
    func pageTokenPagination() async throws {
        let harness = try Harness([
            Self.reportPage("a", next: "page_MjAyNS0wOS0wMVQwMDowMDowMFo="),
            Self.reportPage("b", next: "page_2"),
            Self.reportPage("c", next: nil),
        ])
        let pages = try await harness.collect(.claudeCodeUsage, .day(Self.day))
        let base = "\(baseURL)/v1/organizations/usage_report/claude_code?limit=1000&starting_at=2025-09-01"
        #expect(
            await harness.transport.urls == [
                base, base + "&page=page_MjAyNS0wOS0wMVQwMDowMDowMFo%3D", base + "&page=page_2",
            ])
        #expect(pages.map(\.index) == [0, 1, 2])
        #expect(pages.map(\.nextToken) == ["page_MjAyNS0wOS0wMVQwMDowMDowMFo=", "page_2", nil])
        #expect(pages.map(\.requestID) == ["req_a", "req_b", "req_c"])
        #expect(pages.flatMap(\.rows).map { $0["actor_id"] } == ["a", "b", "c"])
        #expect(pages.allSatisfy { $0.table == .claudeCodeUsage })
    }

    @Test("report pagination stops when has_more is true but next_page is null")
    func pageTokenStopsWithoutToken() async throws {
        let harness = try Harness([
            .ok(#"{"data":[],"has_more":true,"next_page":null}"#)
        ])
        let pages = try await harness.collect(.claudeCodeUsage, .day(Self.day))
        #expect(pages.count == 1)
        #expect(pages.first?.nextToken == nil)
    }

    @Test("list pages follow after_id=last_id while has_more")
    func idCursorPagination() async throws {
        let harness = try Harness([
            Self.listPage("user_1", more: true), Self.listPage("user_2", more: true), Self.listPage("user_3", more: false),
        ])
        let pages = try await harness.collect(.users, .snapshot)
        let base = "\(baseURL)/v1/organizations/users?limit=1000"
        #expect(await harness.transport.urls == [base, base + "&after_id=user_1", base + "&after_id=user_2"])
        #expect(pages.map(\.nextToken) == ["user_1", "user_2", nil])
        #expect(pages.flatMap(\.rows).map { $0["id"] } == ["user_1", "user_2", "user_3"])
    }

    @Test("a resume token continues a report read right after the checkpointed page")
    func resumeToken() async throws {
        let harness = try Harness([Self.reportPage("c", next: nil)])
        let pages = try await harness.collect(.claudeCodeUsage, .day(Self.day), resumeToken: "page_2")
        #expect(
            await harness.transport.urls == [
                "\(baseURL)/v1/organizations/usage_report/claude_code?limit=1000&starting_at=2025-09-01&page=page_2"
            ])
        #expect(pages.map(\.index) == [0])
    }

    @Test("an empty data array is one empty page")
    func emptyData() async throws {
        let harness = try Harness([.ok(#"{"data":[],"has_more":false,"next_page":null}"#)])
        let pages = try await harness.collect(.claudeCodeUsage, .day(Self.day))
        #expect(pages.count == 1)
        #expect(pages.first?.rows.isEmpty == true)
        #expect(pages.first?.nextToken == nil)
    }

    @Test("pages are fetched lazily, one request per next()")
    func lazy() async throws {
        let harness = try Harness([Self.listPage("user_1", more: true), Self.listPage("user_2", more: false)])
        var iterator = harness.client.pages(.users, query: .snapshot).makeAsyncIterator()
        #expect(await harness.transport.requests.isEmpty)
        _ = try await iterator.next()
        #expect(await harness.transport.requests.count == 1)
        _ = try await iterator.next()
        #expect(await harness.transport.requests.count == 2)
        #expect(try await iterator.next() == nil)
        #expect(await harness.transport.requests.count == 2)
    }

    @Test("after an error the iterator ends")
    func endsAfterError() async throws {
        let harness = try Harness([.status(404)])
        var iterator = harness.client.pages(.users, query: .snapshot).makeAsyncIterator()
        await #expect(throws: AdminClientError.self) { _ = try await iterator.next() }
        #expect(try await iterator.next() == nil)
        #expect(await harness.transport.requests.count == 1)
    }

    @Test(
        "a query that does not fit the table fails before any request",
        arguments: [
            (AdminTable.claudeCodeUsage, TableQuery.snapshot),
            (.claudeCodeUsage, .window(start: day, end: day.adding(days: 1))),
            (.costReport, .snapshot),
            (.usageReport, .window(start: day, end: day)),
            (.users, .day(day)),
            (.organization, .window(start: day, end: day.adding(days: 1))),
        ])
    func queryMismatch(table: AdminTable, query: TableQuery) async throws {
        let harness = try Harness([])
        let error = await harness.readError(table, query)
        #expect(error?.code == .invalidConfiguration)
        #expect(await harness.transport.requests.isEmpty)
    }

    @Test("workspace_members cannot resume from a token")
    func membersCannotResume() async throws {
        let harness = try Harness([])
        do {
            _ = try await harness.collect(.workspaceMembers, .snapshot, resumeToken: "user_1")
            Issue.record("expected an error")
        } catch {
            #expect(error.code == .invalidConfiguration)
        }
        #expect(await harness.transport.requests.isEmpty)
    }

    @Test("the base URL may end with a slash")
    func baseURLTrailingSlash() async throws {
        let harness = try Harness([Self.listPage("user_1", more: false)]) { $0.baseURL = "http://127.0.0.1:8080/" }
        _ = try await harness.collect(.users, .snapshot)
        #expect(await harness.transport.urls == ["http://127.0.0.1:8080/v1/organizations/users?limit=1000"])
    }
}
