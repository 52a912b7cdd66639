/// Checks responses against the documented wire format and maps their rows.
///
/// Every failure is ``AdminClientError/Code/malformedResponse`` naming the endpoint, the JSON path
/// (`$.data[3].results[1].amount`) and what was expected; such errors are never retried.
enum ResponseDecoder {
    /// One decoded list page.
    struct ListPage {
        /// The raw `data[]` elements (objects).
        let items: [JSONObject]
        /// The cursor to request the next page with; `nil` when this is the last page.
        let nextCursor: String?
    }

    /// The organization row from `/v1/organizations/me`.
    static func singleRow(_ response: APIResponse, definition: TableDefinition) throws(AdminClientError) -> AdminRow {
        let object = try root(response)
        do {
            return try definition.makeRow(from: object)
        } catch {
            throw malformed(response, path: "$." + error.path, expected: error.expected)
        }
    }

    /// The `data[]` items and the next cursor of a paginated response.
    static func listPage(
        _ response: APIResponse, pagination: TableDefinition.Pagination
    ) throws(AdminClientError) -> ListPage {
        let object = try root(response)
        guard let dataValue = object["data"] else { throw malformed(response, path: "$.data", expected: "an array, found nothing") }
        guard case .array(let data) = dataValue else {
            throw malformed(response, path: "$.data", expected: "an array, found \(dataValue.typeName)")
        }
        var items: [JSONObject] = []
        items.reserveCapacity(data.count)
        for (index, element) in data.enumerated() {
            guard case .object(let item) = element else {
                throw malformed(response, path: "$.data[\(index)]", expected: "an object, found \(element.typeName)")
            }
            items.append(item)
        }
        guard let hasMoreValue = object["has_more"] else {
            throw malformed(response, path: "$.has_more", expected: "a boolean, found nothing")
        }
        guard case .bool(let hasMore) = hasMoreValue else {
            throw malformed(response, path: "$.has_more", expected: "a boolean, found \(hasMoreValue.typeName)")
        }
        let cursorName = pagination == .pageToken ? "next_page" : "last_id"
        let cursor: String?
        switch object[cursorName] ?? .null {
        case .null: cursor = nil
        case .string(let text): cursor = text
        case let other:
            throw malformed(response, path: "$.\(cursorName)", expected: "a string or null, found \(other.typeName)")
        }
        guard hasMore else { return ListPage(items: items, nextCursor: nil) }
        if pagination == .idCursor, cursor == nil {
            throw malformed(response, path: "$.last_id", expected: "a string when has_more is true, found null or nothing")
        }
        // Report endpoints: continue while has_more && next_page != null.
        return ListPage(items: items, nextCursor: cursor)
    }

    /// The rows of a page's items, mapped with the table's definition.
    ///
    /// - Parameter defaultWorkspaceID: for workspace members, the workspace being listed, set on items
    ///   that lack `workspace_id`.
    static func rows(
        _ items: [JSONObject], response: APIResponse, definition: TableDefinition, defaultWorkspaceID: String? = nil
    ) throws(AdminClientError) -> [AdminRow] {
        var rows: [AdminRow] = []
        rows.reserveCapacity(items.count)
        for (index, item) in items.enumerated() {
            switch definition.rowLocation {
            case .dataItems, .responseObject:
                var item = item
                if let defaultWorkspaceID, item["workspace_id"] == nil || item["workspace_id"] == .null {
                    item["workspace_id"] = .string(defaultWorkspaceID)
                }
                do {
                    rows.append(try definition.makeRow(from: item))
                } catch {
                    throw malformed(response, path: "$.data[\(index)]." + error.path, expected: error.expected)
                }
            case .bucketResults:
                guard let resultsValue = item["results"] else {
                    throw malformed(response, path: "$.data[\(index)].results", expected: "an array, found nothing")
                }
                guard case .array(let results) = resultsValue else {
                    throw malformed(
                        response, path: "$.data[\(index)].results", expected: "an array, found \(resultsValue.typeName)")
                }
                var bucket = item
                bucket["results"] = nil
                for key in ["starting_at", "ending_at"] {
                    let value = bucket[key] ?? .null
                    guard case .string = value else {
                        throw malformed(
                            response, path: "$.data[\(index)].\(key)", expected: "a timestamp string, found \(value.typeName)")
                    }
                }
                for (resultIndex, result) in results.enumerated() {
                    guard case .object(let resultObject) = result else {
                        throw malformed(
                            response, path: "$.data[\(index)].results[\(resultIndex)]",
                            expected: "an object, found \(result.typeName)")
                    }
                    do {
                        rows.append(try definition.makeRow(from: resultObject, bucket: bucket))
                    } catch {
                        throw malformed(
                            response, path: "$.data[\(index)].results[\(resultIndex)]." + error.path,
                            expected: error.expected)
                    }
                }
            }
        }
        return rows
    }

    /// The workspace ids of a workspaces page.
    static func workspaceIDs(_ items: [JSONObject], response: APIResponse) throws(AdminClientError) -> [String] {
        var ids: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let id)? = item["id"], !id.isEmpty else {
                throw malformed(response, path: "$.data[\(index)].id", expected: "a workspace id string")
            }
            ids.append(id)
        }
        return ids
    }

    private static func root(_ response: APIResponse) throws(AdminClientError) -> JSONObject {
        guard case .object(let object) = response.json else {
            throw malformed(response, path: "$", expected: "an object, found \(response.json.typeName)")
        }
        return object
    }

    static func malformed(_ response: APIResponse, path: String, expected: String) -> AdminClientError {
        AdminClientError(
            code: .malformedResponse,
            reason: "the response from \(response.endpoint) does not match the documented format: at "
                + "\(ErrorTextSanitizer.sanitize(path, maximumLength: 160)) expected "
                + "\(ErrorTextSanitizer.sanitize(expected, maximumLength: 160))",
            endpoint: response.endpoint, status: response.status, requestID: response.requestID)
    }
}
