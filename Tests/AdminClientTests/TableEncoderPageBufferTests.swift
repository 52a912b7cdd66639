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

/// Summed integer columns are written as `String(sum)` writes them.
@Suite struct TableEncoderIntegerSumTests {
    @Test(
        "writes a summed integer's digits, sign and all",
        arguments: [0, 1, -1, 9, 10, -10, 99, 100, 101, 999, 1_000, 12_345, -123_456, 9_876_543_210, Int.max, Int.min])
    func sums(total: Int) throws {
        // Two elements whose sum is `total` (one alone for the extremes, whose halves would not be integers).
        let halves = total == Int.max || total == Int.min ? [total] : [total / 2, total - total / 2]
        let elements: [JSONValue] = halves.map { half in
            .object(
                JSONObject([
                    ("model", .string("m")),
                    ("tokens", .object(JSONObject([("input", .number(JSONNumber(half)))]))),
                ]))
        }
        let item = JSONObject([
            ("date", .string("2025-01-01")),
            ("actor", .object(JSONObject([("type", .string("user_actor")), ("email_address", .string("u"))]))),
            ("model_breakdown", .array(elements)),
        ])
        let row = try TableEncoder(table: .claudeCodeUsage).encodeRow(item: item)
        #expect(String(decoding: row.value, as: UTF8.self).contains(#""total_input_tokens":\#(total),"#))
    }
}
