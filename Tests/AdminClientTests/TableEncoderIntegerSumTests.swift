import AdminClient
import JSONSpans
import Testing

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
