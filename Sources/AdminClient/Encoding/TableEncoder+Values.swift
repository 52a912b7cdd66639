import JSONSpans

extension TableEncoder {
    /// Encodes one row given as values (tools and tests; the streamer encodes straight from response bytes):
    /// the item and its bucket are written as JSON, scanned, and encoded as a response's row would be.
    ///
    /// - Parameters:
    ///   - item: the row's object (a `data[]` item, a `results[]` item, or the response itself).
    ///   - bucket: for report tables, the enclosing bucket (`starting_at`, `ending_at`).
    /// - Returns: the row's key and value bytes.
    /// - Throws: ``RowMappingError`` naming the path inside the item.
    public func encodeRow(item: JSONObject, bucket: JSONObject? = nil) throws(RowMappingError) -> EncodedRow {
        var elements: [JSONValue] = [.object(item)]
        if let bucket { elements.append(.object(bucket)) }
        let map: JSONSpanMap
        do {
            map = try JSONSpanScanner.scan(JSONWriter.encode(.array(elements)))
        } catch {
            throw RowMappingError(path: String(error.path.dropFirst(min(2, error.path.count))), expected: error.expected)
        }
        let bucketValue = bucket == nil ? nil : map.next(after: 1)
        let rows = try RowWriter.writePage(capacity: 2 * map.bytes.count) { (writer) throws(RowMappingError) in
            try writer.encode(self, item: 1, bucket: bucketValue, map: map, override: nil)
        }
        return rows[0]
    }
}

extension TableDefinition {
    /// The flat row for one item as values, read back from the bytes the table's encoder writes (tools and tests;
    /// the streamer publishes the bytes themselves).
    ///
    /// - Parameters:
    ///   - item: the row's JSON object (`data[]` item, `data[].results[]` item, or the response itself).
    ///   - bucket: for report tables, the enclosing bucket (`starting_at`, `ending_at`).
    /// - Throws: ``RowMappingError`` naming the path inside the item and what was expected.
    public func makeRow(from item: JSONObject, bucket: JSONObject? = nil) throws(RowMappingError) -> AdminRow {
        let row = try encoder.encodeRow(item: item, bucket: bucket)
        guard case .object(let fields)? = try? JSONParser.parse(Array(row.value)) else {
            throw RowMappingError(path: "", expected: "an object")
        }
        return AdminRow(table: table, fields: fields, keyColumns: keyColumns)
    }
}
