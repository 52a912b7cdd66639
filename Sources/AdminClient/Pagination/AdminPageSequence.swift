/// The pages of one table read, fetched lazily: each `next()` makes one request series (one HTTP request
/// plus its retries); nothing is prefetched and nothing but the current page is held.
///
/// Its iterator throws only ``AdminClientError``; after an error it returns `nil`.
public struct AdminPageSequence: AsyncSequence, Sendable {
    /// A page.
    public typealias Element = AdminPage
    /// Every failure is an ``AdminClientError``.
    public typealias Failure = AdminClientError

    let client: AdminClient
    let table: AdminTable
    let query: TableQuery
    let resumeToken: String?

    /// A fresh iterator, starting with the first page (or after `resumeToken`).
    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(client: client, table: table, query: query, resumeToken: resumeToken)
    }

    /// Fetches the pages one by one.
    public struct AsyncIterator: AsyncIteratorProtocol {
        /// A page.
        public typealias Element = AdminPage
        /// Every failure is an ``AdminClientError``.
        public typealias Failure = AdminClientError

        private let client: AdminClient
        private let table: AdminTable
        private let definition: TableDefinition
        /// Writes the rows' bytes: built once per listing (the table's shared one unless grouped otherwise).
        private let encoder: TableEncoder
        private let query: TableQuery
        private let resumeToken: String?
        private var state: State = .notStarted
        private var index = 0
        /// The current listing's loop and page-count check.
        private var paginationGuard: PaginationGuard?
        /// `workspaces`: the custom workspaces' ids, to tell the default workspace apart (listed on first use).
        private var customWorkspaceIDs: Set<String>?

        private enum State {
            case notStarted
            /// The next request of a plain listing; `cursor` nil means the first page.
            case listing(baseQuery: [(name: String, value: String)], cursor: String?)
            /// Workspace members, before the workspaces are listed.
            case workspacesUnknown
            /// Workspace members: the workspaces to go through and the member cursor in the current one.
            case members(workspaceIDs: [String], position: Int, cursor: String?)
            case finished
        }

        init(client: AdminClient, table: AdminTable, query: TableQuery, resumeToken: String?) {
            self.client = client
            self.table = table
            self.definition = client.definition(for: table)
            self.encoder = definition.encoder
            self.query = query
            self.resumeToken = resumeToken
        }

        /// The next page, or `nil` after the last one.
        ///
        /// - Throws: ``AdminClientError``.
        public mutating func next() async throws(AdminClientError) -> AdminPage? {
            try await next(isolation: nil)
        }

        /// The next page, or `nil` after the last one.
        ///
        /// - Parameter actor: the caller's isolation (unused: the client holds no isolated state).
        /// - Throws: ``AdminClientError``.
        public mutating func next(isolation actor: isolated (any Actor)?) async throws(AdminClientError) -> AdminPage? {
            do {
                return try await advance(isolation: actor)
            } catch {
                state = .finished
                throw error
            }
        }

        private mutating func advance(
            isolation actor: isolated (any Actor)?
        ) async throws(AdminClientError) -> AdminPage? {
            switch state {
            case .finished:
                return nil
            case .notStarted:
                try start()
                return try await advance(isolation: actor)
            case .listing(let baseQuery, let cursor):
                if definition.pagination == .single {
                    state = .finished
                    let target = RequestTarget(path: definition.path, query: baseQuery)
                    let response = try await client.send(target, table: table)
                    let row = try ResponseDecoder.singleRow(response, encoder: encoder)
                    return makePage(rows: [row], nextToken: nil, requestID: response.requestID)
                }
                var target = RequestTarget(path: definition.path, query: baseQuery)
                if let cursor { target.append(cursorName, cursor) }
                let response = try await client.send(target, table: table)
                let page = try ResponseDecoder.listPage(response, pagination: definition.pagination)
                try paginationGuard?.admit(nextCursor: page.nextCursor, requestID: response.requestID)
                var rows = try ResponseDecoder.rows(response, encoder: encoder)
                if table == .workspaces {  // the default workspace is the one the custom listing leaves out
                    if customWorkspaceIDs == nil { customWorkspaceIDs = Set(try await client.allWorkspaceIDs(for: table)) }
                    let ids = ResponseDecoder.itemIDs(response)
                    for index in rows.indices where index < ids.count {
                        if let id = ids[index], !(customWorkspaceIDs?.contains(id) ?? false) {
                            rows[index] = rows[index].markingDefaultWorkspace()
                        }
                    }
                }
                state = page.nextCursor.map { .listing(baseQuery: baseQuery, cursor: $0) } ?? .finished
                return makePage(rows: rows, nextToken: page.nextCursor, requestID: response.requestID)
            case .workspacesUnknown:
                let workspaceIDs = try await client.allWorkspaceIDs(for: table)
                state = .members(workspaceIDs: workspaceIDs, position: 0, cursor: nil)
                return try await advance(isolation: actor)
            case .members(let workspaceIDs, let position, let cursor):
                guard position < workspaceIDs.count else {
                    state = .finished
                    return nil
                }
                let workspaceID = workspaceIDs[position]
                let encodedID = RequestTarget.percentEncode(workspaceID, keepColon: false)
                let path = definition.path.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0 == "{workspace_id}" ? encodedID : String($0) }
                    .joined(separator: "/")
                var target = RequestTarget(path: path, query: definition.fixedQuery)
                if let limit = definition.pageLimit { target.append("limit", String(limit)) }
                if let cursor { target.append(cursorName, cursor) }  // after_id, or page (workspace rate limits)
                if cursor == nil { paginationGuard = client.paginationGuard(for: definition, endpoint: path) }
                let response = try await client.send(target, table: table)
                let page = try ResponseDecoder.listPage(response, pagination: definition.pagination)
                try paginationGuard?.admit(nextCursor: page.nextCursor, requestID: response.requestID)
                let rows = try ResponseDecoder.rows(response, encoder: encoder, defaultWorkspaceID: workspaceID)
                if let next = page.nextCursor {
                    state = .members(workspaceIDs: workspaceIDs, position: position, cursor: next)
                } else if position + 1 < workspaceIDs.count {
                    state = .members(workspaceIDs: workspaceIDs, position: position + 1, cursor: nil)
                } else {
                    state = .finished
                }
                return makePage(
                    rows: rows, nextToken: page.nextCursor, requestID: response.requestID, workspaceID: workspaceID)
            }
        }

        private var cursorName: String {
            definition.pagination == .pageToken ? "page" : "after_id"
        }

        private mutating func makePage(
            rows: [EncodedRow], nextToken: String?, requestID: String?, workspaceID: String? = nil
        ) -> AdminPage {
            let page = AdminPage(
                table: table, rows: rows, nextToken: nextToken, requestID: requestID, index: index,
                workspaceID: workspaceID)
            index += 1
            return page
        }

        /// Checks the query against the table and sets up the first request.
        private mutating func start() throws(AdminClientError) {
            func invalid(_ reason: String) -> AdminClientError {
                AdminClientError(code: .invalidConfiguration, reason: reason, endpoint: definition.path)
            }
            var baseQuery = definition.fixedQuery
            if let limit = definition.pageLimit { baseQuery.append(("limit", String(limit))) }
            switch (definition.cursorKind, query) {
            case (.daily, .day(let day)):
                baseQuery.append(("starting_at", day.description))
            case (.dateRange, .day(let day)):
                baseQuery.append(("starting_at", day.midnightTimestamp))
                baseQuery.append(("ending_at", day.adding(days: 1).midnightTimestamp))
            case (.dateRange, .window(let start, let end)):
                guard start < end else {
                    throw invalid("\(table.name): the window's end (\(end)) must be after its start (\(start))")
                }
                baseQuery.append(("starting_at", start.midnightTimestamp))
                baseQuery.append(("ending_at", end.midnightTimestamp))
            case (.snapshot, .snapshot):
                break
            case (.daily, _):
                throw invalid("\(table.name) is read one day at a time: use TableQuery.day")
            case (.dateRange, _):
                throw invalid("\(table.name) is read over a date window: use TableQuery.window or .day")
            case (.snapshot, _):
                throw invalid("\(table.name) is a state table: use TableQuery.snapshot")
            }
            if resumeToken != nil, definition.pagination == .single || definition.isPerWorkspace {
                throw invalid("\(table.name) cannot resume from a page token; read it from the start")
            }
            if definition.isPerWorkspace {
                state = .workspacesUnknown
                return
            }
            paginationGuard = client.paginationGuard(for: definition, endpoint: definition.path, startCursor: resumeToken)
            state = .listing(baseQuery: baseQuery, cursor: resumeToken)
        }
    }
}
