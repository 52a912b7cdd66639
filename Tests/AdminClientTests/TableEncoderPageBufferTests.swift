import AdminClient
import JSONSpans
import Testing

/// A page's rows go into a buffer reserved at 2.5 times the response's bytes; rows that need more continue in
/// further buffers, with the same bytes.
@Suite struct TableEncoderPageBufferTests {
    /// A minimal `claude_code_usage` item: a few dozen bytes that become a row of every column's name.
    static func item(_ index: Int) -> JSONObject {
        JSONObject([
            ("date", .string("2025-01-0\(1 + index % 9)")),
            ("actor", .object(JSONObject([("type", .string("user_actor")), ("email_address", .string("u\(index)"))]))),
            ("terminal_type", .string(index % 2 == 0 ? "vscode" : "tmux\n")),
        ])
    }

    @Test("writes a page whose rows take many times its response's bytes as it writes each row alone", arguments: [1, 40, 300])
    func rowsOutgrowTheBuffer(count: Int) throws {
        let items = (0..<count).map(Self.item)
        let page = JSONWriter.encode(
            .object(JSONObject([("data", .array(items.map { .object($0) })), ("has_more", false), ("next_page", nil)])))
        let encoder = TableEncoder(table: .claudeCodeUsage)
        let rows = try encoder.encodeRows(in: try JSONSpanScanner.scan(page))
        let alone = try items.map { try encoder.encodeRow(item: $0) }
        #expect(rows.count == count)
        for (row, expected) in zip(rows, alone) {
            #expect(row.key == expected.key)
            #expect(row.value == expected.value)
            #expect(row.day == expected.day)
        }
        // More than the first buffer holds (2.5 times the response, at least 4 KiB): later rows went elsewhere.
        let written = rows.reduce(0) { $0 + $1.key.count + $1.value.count }
        if count >= 40 { #expect(written > max(5 * page.count / 2, 4096)) }
    }
}
