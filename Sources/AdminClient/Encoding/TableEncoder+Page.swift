import JSONSpans

extension TableEncoder {
    /// Encodes every row of a scanned response: the root object (`/v1/organizations/me`), each `data[]` item,
    /// or each `data[].results[]` item within its bucket, as the definition's row location says.
    ///
    /// - Parameters:
    ///   - map: the scanned response body.
    ///   - defaultWorkspaceID: for workspace members, the workspace listed (set on items without one).
    /// - Returns: the rows' key and value bytes, in response order: slices of one buffer for the page.
    /// - Throws: ``RowMappingError`` whose path is the full JSON path (`$.data[3].results[1].amount`).
    public func encodeRows(in map: JSONSpanMap, defaultWorkspaceID: String? = nil) throws(RowMappingError) -> [EncodedRow] {
        let root = map.root
        guard map.kind(root) == .object else {
            throw RowMappingError(path: "$", expected: "an object, found \(Self.typeName(root, map))")
        }
        // The page's events take up to about 1.5 times its response's bytes (claude_code_usage: 1.54, the
        // renamed and flattened columns); room for twice as many spares the buffer's regrowth and its copy, and
        // the pages of it never written are never touched.
        var writer = RowWriter(capacity: 2 * map.bytes.count)
        if definition.rowLocation == .responseObject {
            do {
                let spans = try writer.encode(self, item: root, bucket: nil, map: map, override: nil)
                return writer.rows([spans])
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
        var rows: [RowWriter.RowSpans] = []
        rows.reserveCapacity(map.count(data))
        let end = map.next(after: data)
        var item = data + 1
        var index = 0
        while item < end {
            defer {
                item = map.next(after: item)
                index += 1
            }
            guard map.kind(item) == .object else {
                throw RowMappingError(path: "$.data[\(index)]", expected: "an object, found \(Self.typeName(item, map))")
            }
            guard definition.rowLocation == .bucketResults else {
                do {
                    rows.append(try writer.encode(self, item: item, bucket: nil, map: map, override: override))
                } catch {
                    throw RowMappingError(path: "$.data[\(index)]." + error.path, expected: error.expected)
                }
                continue
            }
            try encodeBucket(item, index: index, in: map, into: &rows, writer: &writer)
        }
        return writer.rows(rows)
    }

    private func encodeBucket(
        _ bucket: Int, index: Int, in map: JSONSpanMap, into rows: inout [RowWriter.RowSpans], writer: inout RowWriter
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
        while result < end {
            defer {
                result = map.next(after: result)
                resultIndex += 1
            }
            guard map.kind(result) == .object else {
                throw RowMappingError(
                    path: "$.data[\(index)].results[\(resultIndex)]", expected: "an object, found \(Self.typeName(result, map))")
            }
            do {
                rows.append(try writer.encode(self, item: result, bucket: bucket, map: map, override: nil))
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
