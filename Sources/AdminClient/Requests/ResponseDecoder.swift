import JSONSpans

/// Checks scanned responses against the documented wire format and encodes their rows.
///
/// Every failure is ``AdminClientError/Code/malformedResponse`` naming the endpoint, the JSON path
/// (`$.data[3].results[1].amount`) and what was expected; such errors are never retried.
enum ResponseDecoder {
    /// What a list response says about the listing: where it goes on.
    struct ListPage {
        /// The cursor to request the next page with; `nil` when this is the last page.
        let nextCursor: String?
    }

    /// The organization row from `/v1/organizations/me`.
    static func singleRow(_ response: APIResponse, encoder: TableEncoder) throws(AdminClientError) -> EncodedRow {
        let rows = try rows(response, encoder: encoder)
        guard let row = rows.first else { throw malformed(response, path: "$", expected: "an object") }
        return row
    }

    /// The cursor of a paginated response, after checking its `data` array and `has_more` flag (its rows are
    /// read by ``rows(_:encoder:defaultWorkspaceID:)``).
    static func listPage(
        _ response: APIResponse, pagination: TableDefinition.Pagination
    ) throws(AdminClientError) -> ListPage {
        let map = response.body
        let root = try root(response)
        try forEachDataObject(response, root: root) { _, _ in }
        guard let hasMore = map.member(root, hasMoreKey) else {
            throw malformed(response, path: "$.has_more", expected: "a boolean, found nothing")
        }
        guard map.kind(hasMore) == .true || map.kind(hasMore) == .false else {
            throw malformed(
                response, path: "$.has_more", expected: "a boolean, found \(TableEncoder.typeName(hasMore, map))")
        }
        let cursorName = pagination == .pageToken ? "next_page" : "last_id"
        let cursor: String?
        switch map.member(root, pagination == .pageToken ? nextPageKey : lastIDKey) {
        case nil:
            cursor = nil
        case let value? where map.kind(value) == .null:
            cursor = nil
        case let value? where map.kind(value) == .string:
            cursor = map.string(value)
        case let value?:
            throw malformed(
                response, path: "$.\(cursorName)", expected: "a string or null, found \(TableEncoder.typeName(value, map))")
        }
        guard map.kind(hasMore) == .true else { return ListPage(nextCursor: nil) }
        if pagination == .idCursor, cursor == nil {
            throw malformed(response, path: "$.last_id", expected: "a string when has_more is true, found null or nothing")
        }
        // Report endpoints: continue while has_more && next_page != null.
        return ListPage(nextCursor: cursor)
    }

    /// The rows of a response as their events' key and value bytes, written by the table's encoder.
    ///
    /// - Parameters:
    ///   - encoder: the encoder of the definition the table is read with.
    ///   - defaultWorkspaceID: for workspace members, the workspace being listed, set on items that lack
    ///     `workspace_id`.
    static func rows(
        _ response: APIResponse, encoder: TableEncoder, defaultWorkspaceID: String? = nil
    ) throws(AdminClientError) -> [EncodedRow] {
        do {
            return try encoder.encodeRows(in: response.body, defaultWorkspaceID: defaultWorkspaceID)
        } catch {
            throw malformed(response, path: error.path, expected: error.expected)
        }
    }

    /// The `id` of each `data[]` item of a workspaces page, in order.
    static func workspaceIDs(_ response: APIResponse) throws(AdminClientError) -> [String] {
        let map = response.body
        var ids: [String] = []
        try forEachDataObject(response, root: try root(response)) { (index, item) throws(AdminClientError) in
            guard let id = map.member(item, idKey), map.kind(id) == .string, !map.span(id).isEmpty else {
                throw malformed(response, path: "$.data[\(index)].id", expected: "a workspace id string")
            }
            ids.append(map.string(id))
        }
        return ids
    }

    /// Checks that `root`'s `data` is an array of objects and hands each object (its position in the array and
    /// its value) to `body`, in order.
    private static func forEachDataObject(
        _ response: APIResponse, root: Int, _ body: (_ index: Int, _ item: Int) throws(AdminClientError) -> Void
    ) throws(AdminClientError) {
        let map = response.body
        guard let data = map.member(root, dataKey) else {
            throw malformed(response, path: "$.data", expected: "an array, found nothing")
        }
        guard map.kind(data) == .array else {
            throw malformed(response, path: "$.data", expected: "an array, found \(TableEncoder.typeName(data, map))")
        }
        let end = map.next(after: data)
        var item = data + 1
        var index = 0
        while item < end {
            guard map.kind(item) == .object else {
                throw malformed(
                    response, path: "$.data[\(index)]", expected: "an object, found \(TableEncoder.typeName(item, map))")
            }
            try body(index, item)
            item = map.next(after: item)
            index += 1
        }
    }

    /// The string `id` of each `data[]` item, `nil` for an item without one (rows are checked by the encoder).
    static func itemIDs(_ response: APIResponse) -> [String?] {
        let map = response.body
        guard map.kind(map.root) == .object, let data = map.member(map.root, dataKey), map.kind(data) == .array else {
            return []
        }
        var ids: [String?] = []
        let end = map.next(after: data)
        var item = data + 1
        while item < end {
            let id = map.kind(item) == .object ? map.member(item, idKey) : nil
            ids.append(id.flatMap { map.kind($0) == .string ? map.string($0) : nil })
            item = map.next(after: item)
        }
        return ids
    }

    private static func root(_ response: APIResponse) throws(AdminClientError) -> Int {
        let map = response.body
        guard map.kind(map.root) == .object else {
            throw malformed(response, path: "$", expected: "an object, found \(TableEncoder.typeName(map.root, map))")
        }
        return map.root
    }

    static let dataKey = Array("data".utf8)
    static let hasMoreKey = Array("has_more".utf8)
    static let nextPageKey = Array("next_page".utf8)
    static let lastIDKey = Array("last_id".utf8)
    static let idKey = Array("id".utf8)

    static func malformed(_ response: APIResponse, path: String, expected: String) -> AdminClientError {
        AdminClientError(
            code: .malformedResponse,
            reason: "the response from \(response.endpoint) does not match the documented format: at "
                + "\(ErrorTextSanitizer.sanitize(path, maximumLength: 160)) expected "
                + "\(ErrorTextSanitizer.sanitize(expected, maximumLength: 160))",
            endpoint: response.endpoint, status: response.status, requestID: response.requestID)
    }
}
