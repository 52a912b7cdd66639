import JSONSpans

/// Checks responses against the documented wire format and encodes their rows.
///
/// Every failure is ``AdminClientError/Code/malformedResponse`` naming the endpoint, the JSON path
/// (`$.data[3].results[1].amount`) and what was expected; such errors are never retried.
enum ResponseDecoder {
    /// The next cursor of a paginated response; `nil` when this is the last page.
    struct ListPage {
        /// The cursor to request the next page with; `nil` when this is the last page.
        let nextCursor: String?
    }

    /// The organization row from `/v1/organizations/me`.
    static func singleRow(_ response: APIResponse, definition: TableDefinition) throws(AdminClientError) -> AdminRow {
        let row = try rows(response, definition: definition)[0]
        guard case .object(let fields)? = try? JSONParser.parse(row.value) else {
            throw malformed(response, path: "$", expected: "an object")
        }
        return AdminRow(table: definition.table, fields: fields)
    }

    /// The `has_more` flag and next cursor of a paginated response (its `data[]` is read by ``rows(_:definition:defaultWorkspaceID:)``).
    static func listPage(
        _ response: APIResponse, pagination: TableDefinition.Pagination
    ) throws(AdminClientError) -> ListPage {
        let map = response.body
        let root = try root(response)
        guard let data = map.member(root, Array("data".utf8)) else {
            throw malformed(response, path: "$.data", expected: "an array, found nothing")
        }
        guard map.kind(data) == .array else {
            throw malformed(response, path: "$.data", expected: "an array, found \(TableEncoder.typeName(data, map))")
        }
        guard let hasMore = map.member(root, Array("has_more".utf8)) else {
            throw malformed(response, path: "$.has_more", expected: "a boolean, found nothing")
        }
        guard map.kind(hasMore) == .true || map.kind(hasMore) == .false else {
            throw malformed(response, path: "$.has_more", expected: "a boolean, found \(TableEncoder.typeName(hasMore, map))")
        }
        let cursorName = pagination == .pageToken ? "next_page" : "last_id"
        let cursor: String?
        switch map.member(root, Array(cursorName.utf8)) {
        case nil: cursor = nil
        case let value? where map.kind(value) == .null: cursor = nil
        case let value? where map.kind(value) == .string: cursor = map.string(value)
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
    /// - Parameter defaultWorkspaceID: for workspace members, the workspace being listed, set on items
    ///   that lack `workspace_id`.
    static func rows(
        _ response: APIResponse, definition: TableDefinition, defaultWorkspaceID: String? = nil
    ) throws(AdminClientError) -> [EncodedRow] {
        do {
            return try definition.encoder.encodeRows(in: response.body, defaultWorkspaceID: defaultWorkspaceID)
        } catch {
            throw malformed(response, path: error.path, expected: error.expected)
        }
    }

    /// The workspace ids of a workspaces page.
    static func workspaceIDs(_ response: APIResponse) throws(AdminClientError) -> [String] {
        let map = response.body
        var ids: [String] = []
        guard let data = map.member(try root(response), Array("data".utf8)), map.kind(data) == .array else { return ids }
        let end = map.next(after: data)
        var item = data + 1
        var index = 0
        while item < end {
            guard let id = map.member(item, Array("id".utf8)), map.kind(id) == .string, !map.span(id).isEmpty else {
                throw malformed(response, path: "$.data[\(index)].id", expected: "a workspace id string")
            }
            ids.append(map.string(id))
            item = map.next(after: item)
            index += 1
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

    static func malformed(_ response: APIResponse, path: String, expected: String) -> AdminClientError {
        AdminClientError(
            code: .malformedResponse,
            reason: "the response from \(response.endpoint) does not match the documented format: at \(path) "
                + "expected \(expected)",
            endpoint: response.endpoint, status: response.status, requestID: response.requestID)
    }
}
