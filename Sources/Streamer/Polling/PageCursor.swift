import AdminClient

/// The pages of a time table's request series, one series after the other: what a cycle reads, in order.
struct PageCursor {
    /// A request series that failed, and why.
    struct Failure: Error {
        let query: TimeSeriesPlan.Query
        let error: AdminClientError
    }

    private let client: AdminClient
    private let table: AdminTable
    private let queries: [TimeSeriesPlan.Query]
    private var resumeToken: String?
    private var index = 0
    private var iterator: AdminPageSequence.AsyncIterator?

    /// - Parameter resumeToken: continues the first series after a checkpointed page.
    init(client: AdminClient, table: AdminTable, queries: [TimeSeriesPlan.Query], resumeToken: String?) {
        self.client = client
        self.table = table
        self.queries = queries
        self.resumeToken = resumeToken
    }

    /// The next page and its series; `nil` after the last page of the last series.
    mutating func next() async -> Result<(query: TimeSeriesPlan.Query, page: AdminPage)?, Failure> {
        while index < queries.count {
            let query = queries[index]
            if iterator == nil {
                iterator = client.pages(table, query: query.tableQuery, resumeToken: resumeToken).makeAsyncIterator()
                resumeToken = nil
            }
            let page: AdminPage?
            do throws(AdminClientError) {
                page = try await iterator?.next()
            } catch {
                return .failure(Failure(query: query, error: error))
            }
            if let page { return .success((query, page)) }
            iterator = nil
            index += 1
        }
        return .success(nil)
    }
}
