/// Stops one listing (one request series) that would never end: a cursor the API already sent (a loop) or more
/// pages than ``AdminClientConfiguration/Pagination/maxPagesPerSeries``.
///
/// One guard per series: a time table's day or window, the workspaces listing, each workspace's member listing.
/// It remembers every cursor of its series (at most the page cap of them).
struct PaginationGuard: Sendable {
    private let endpoint: String
    private let cursorName: String
    private let maxPages: Int
    private var pages = 0
    private var cursors: Set<String> = []

    /// - Parameters:
    ///   - endpoint: the listing's path, for the error.
    ///   - cursorName: the response field holding the cursor (`next_page`, `last_id`), for the error.
    ///   - maxPages: the most pages this series may have.
    ///   - startCursor: the cursor the series resumes from, if any (it may not come back either).
    init(endpoint: String, cursorName: String, maxPages: Int, startCursor: String? = nil) {
        self.endpoint = endpoint
        self.cursorName = cursorName
        self.maxPages = maxPages
        if let startCursor { cursors.insert(startCursor) }
    }

    /// Counts one page received and checks the cursor it names for the next request.
    ///
    /// - Parameters:
    ///   - nextCursor: the page's `next_page` / `last_id`; `nil` when the series ends.
    ///   - requestID: the page's request id, for the error.
    /// - Throws: ``AdminClientError/Code/runawayPagination`` when the cursor was already seen in this series, or
    ///   when the page cap is reached and the series would go on.
    mutating func admit(nextCursor: String?, requestID: String?) throws(AdminClientError) {
        pages += 1
        guard let nextCursor else { return }
        if !cursors.insert(nextCursor).inserted {
            throw AdminClientError(
                code: .runawayPagination,
                reason: "the API sent a \(cursorName) it had already sent in this listing, after \(pages) "
                    + "page\(pages == 1 ? "" : "s"): following it would loop for ever, so this listing stops "
                    + "here and nothing more of it is published",
                endpoint: endpoint, requestID: requestID)
        }
        if pages >= maxPages {
            throw AdminClientError(
                code: .runawayPagination,
                reason: "this listing reached \(maxPages) pages (the limit, --max-pages-per-series) and the API "
                    + "still says there are more: it stops here and nothing more of it is published; raise the "
                    + "limit if the data really is that large",
                endpoint: endpoint, requestID: requestID)
        }
    }
}

extension AdminClient {
    /// A fresh guard for one listing of `definition` at `endpoint`, resuming after `startCursor` if given.
    func paginationGuard(
        for definition: TableDefinition, endpoint: String, startCursor: String? = nil
    ) -> PaginationGuard {
        PaginationGuard(
            endpoint: endpoint, cursorName: definition.pagination == .pageToken ? "next_page" : "last_id",
            maxPages: configuration.pagination.maxPagesPerSeries, startCursor: startCursor)
    }
}
