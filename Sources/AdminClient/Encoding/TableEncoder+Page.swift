import JSONSpans

extension TableEncoder {
    /// Encodes every row of a scanned response: the root object (`/v1/organizations/me`), each `data[]` item,
    /// or each `data[].results[]` item within its bucket, as the definition's row location says.
    ///
    /// - Parameters:
    ///   - map: the scanned response body.
    ///   - defaultWorkspaceID: for workspace members, the workspace listed (set on items without one).
    /// - Returns: the rows' key and value bytes, in response order: slices of one buffer for the page (of a few
    ///   when the rows outgrow the first).
    /// - Throws: ``RowMappingError`` whose path is the full JSON path (`$.data[3].results[1].amount`).
    public func encodeRows(in map: JSONSpanMap, defaultWorkspaceID: String? = nil) throws(RowMappingError) -> [EncodedRow] {
        let root = map.root
        guard map.kind(root) == .object else {
            throw RowMappingError(path: "$", expected: "an object, found \(Self.typeName(root, map))")
        }
        // A page's events take more bytes than its response (claude_code_usage 1.54 times, usage_report 2.30:
        // the column names of every row, the flattened extras); room for 2.5 times spares most pages a second
        // buffer for the rows that do not fit, and the pages of it never written are never touched.
        return try RowWriter.writePage(capacity: 5 * map.bytes.count / 2) { (writer) throws(RowMappingError) in
            try encodeRows(root, in: map, defaultWorkspaceID: defaultWorkspaceID, writer: &writer)
        }
    }

    /// Writes ``encodeRows(in:defaultWorkspaceID:)``'s rows with `writer` (stopping after a row that found the
    /// buffer full).
    private func encodeRows(
        _ root: Int, in map: JSONSpanMap, defaultWorkspaceID: String?, writer: inout RowWriter
    ) throws(RowMappingError) {
        if definition.rowLocation == .responseObject {
            do {
                try writer.encode(self, item: root, bucket: nil, map: map, override: nil)
                return
            } catch {
                throw RowMappingError(path: "$." + error.path, expected: error.expected)
            }
        }
        guard let data = map.member(root, Self.dataKey) else {
            throw RowMappingError(path: "$.data", expected: "an array, found nothing")
        }
        guard map.kind(data) == .array else {
            throw RowMappingError(path: "$.data", expected: "an array, found \(Self.typeName(data, map))")
        }
        let override = defaultWorkspaceID.map { Array($0.utf8) }
        writer.rows.reserveCapacity(map.count(data))
        let end = map.next(after: data)
        var item = data + 1
        var index = 0
        while item < end, !writer.out.overflowed {
            defer {
                item = map.next(after: item)
                index += 1
            }
            guard map.kind(item) == .object else {
                throw RowMappingError(path: "$.data[\(index)]", expected: "an object, found \(Self.typeName(item, map))")
            }
            guard definition.rowLocation == .bucketResults else {
                do {
                    try writer.encode(self, item: item, bucket: nil, map: map, override: override)
                } catch {
                    throw RowMappingError(path: "$.data[\(index)]." + error.path, expected: error.expected)
                }
                continue
            }
            try encodeBucket(item, index: index, in: map, writer: &writer)
        }
    }

    private func encodeBucket(
        _ bucket: Int, index: Int, in map: JSONSpanMap, writer: inout RowWriter
    ) throws(RowMappingError) {
        guard let results = map.member(bucket, Self.resultsKey) else {
            throw RowMappingError(path: "$.data[\(index)].results", expected: "an array, found nothing")
        }
        guard map.kind(results) == .array else {
            throw RowMappingError(path: "$.data[\(index)].results", expected: "an array, found \(Self.typeName(results, map))")
        }
        for (key, name) in [(Self.startingAtKey, "starting_at"), (Self.endingAtKey, "ending_at")] {
            let value = map.member(bucket, key)
            guard let value, map.kind(value) == .string else {
                let found = value.map { Self.typeName($0, map) } ?? "null"
                throw RowMappingError(path: "$.data[\(index)].\(name)", expected: "a timestamp string, found \(found)")
            }
        }
        let end = map.next(after: results)
        var result = results + 1
        var resultIndex = 0
        while result < end, !writer.out.overflowed {
            defer {
                result = map.next(after: result)
                resultIndex += 1
            }
            guard map.kind(result) == .object else {
                throw RowMappingError(
                    path: "$.data[\(index)].results[\(resultIndex)]", expected: "an object, found \(Self.typeName(result, map))")
            }
            do {
                try writer.encode(self, item: result, bucket: bucket, map: map, override: nil)
            } catch {
                throw RowMappingError(path: "$.data[\(index)].results[\(resultIndex)]." + error.path, expected: error.expected)
            }
        }
    }

    static let dataKey = Array("data".utf8)
    static let resultsKey = Array("results".utf8)

    /// `JSONValue.typeName` of a scanned value.
    static func typeName(_ value: Int, _ map: JSONSpanMap) -> String {
        switch map.kind(value) {
        case .null: "null"
        case .true, .false: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
