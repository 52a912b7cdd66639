@testable import JSONSpans
import Testing

/// A scanned value is 16 bytes (offsets and counts in 32 bits), and the scanner refuses any document whose
/// offsets would not fit, so every position reads back whole.
@Suite struct JSONSpanMapLayoutTests {
    @Test("stores each scanned value in 16 bytes")
    func entryIsSixteenBytes() {
        #expect(MemoryLayout<JSONSpanMap.Entry>.stride == 16)
    }

    @Test("reads back offsets, lengths and sibling numbers beyond 16 bits exactly")
    func largeOffsetsReadBack() throws {
        // 70,000 one-element arrays, then a long string: offsets, counts and value numbers past 65,535.
        let filler = String(repeating: "[1],", count: 70_000)
        let long = String(repeating: "x", count: 100_000)
        let bytes = Array(#"{"a":[\#(filler)0],"b":"\#(long)"}"#.utf8)
        let map = try JSONSpanScanner.scan(bytes)
        let a = try #require(map.member(map.root, Array("a".utf8)))
        #expect(map.count(a) == 70_001)
        #expect(map.next(after: a) == a + 1 + 70_000 * 2 + 1)
        let b = try #require(map.member(map.root, Array("b".utf8)))
        #expect(map.span(b) == (bytes.count - 2 - 100_000)..<(bytes.count - 2))
        #expect(map.string(b) == long)
    }

}
