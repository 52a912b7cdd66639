import JSONSpans
import Testing

/// The scanner refuses an object that names a key twice, whichever way each occurrence is written (escaped or
/// not), in every object of a document, and accepts every other object: checked against a reference that
/// compares the keys' decoded text.
@Suite struct JSONSpanScannerDuplicateKeyTests {
    /// Keys as written in JSON and their decoded text: escaped and plain forms of one text, and texts that share
    /// their length and first and last bytes (`abc`, `axc`).
    static let keys: [(written: String, text: String)] =
        [
            ("a", "a"), (#"\u0061"#, "a"), ("b", "b"), ("ab", "ab"), ("ba", "ba"), (#"a\u0062"#, "ab"), ("aa", "aa"),
            ("abc", "abc"), ("axc", "axc"), ("", ""), (#"\u00e9"#, "é"), ("é", "é"), ("cab", "cab"), (#"\/"#, "/"),
            ("/", "/"),
        ] + (0..<90).map { ("k\($0)", "k\($0)") }

    /// A random object (nested objects up to `depth`) and whether any of its objects repeats a key.
    static func makeObject(_ random: inout SplitMix64, depth: Int) -> (json: String, hasDuplicate: Bool) {
        let count = Int(random.next() % (random.next() % 4 == 0 ? 80 : 12))
        // Mostly the small keys (collisions likely), sometimes the many distinct ones (every filter bit taken).
        let pool = random.next() % 2 == 0 ? 15 : keys.count
        var seen: Set<String> = []
        var hasDuplicate = false
        var members: [String] = []
        for _ in 0..<count {
            let key = keys[Int(random.next() % UInt64(pool))]
            if !seen.insert(key.text).inserted { hasDuplicate = true }
            if depth > 0, random.next() % 5 == 0 {
                let nested = makeObject(&random, depth: depth - 1)
                hasDuplicate = hasDuplicate || nested.hasDuplicate
                members.append("\"\(key.written)\":\(nested.json)")
            } else {
                members.append("\"\(key.written)\":\(random.next() % 10)")
            }
        }
        return ("{" + members.joined(separator: ",") + "}", hasDuplicate)
    }

    @Test("refuses exactly the objects that repeat a key (seeded, 5,000 documents)")
    func matchesReference() {
        var random = SplitMix64(seed: 0xD0_0B1E)
        var refused = 0
        for _ in 0..<5_000 {
            let (json, hasDuplicate) = Self.makeObject(&random, depth: 2)
            let result = Result { () throws(JSONSpanError) in try JSONSpanScanner.scan(Array(json.utf8)) }
            switch result {
            case .success:
                #expect(!hasDuplicate, "accepted a repeated key: \(json)")
            case .failure(let error):
                refused += 1
                #expect(hasDuplicate, "refused \(json): \(error)")
                #expect(error.expected.contains("duplicate"), "\(json): \(error)")
            }
        }
        // Both outcomes are exercised.
        #expect(refused > 500 && refused < 4_500)
    }

    @Test(
        "refuses a repeat however each occurrence is written, and accepts keys that only look alike",
        arguments: [
            (#"{"abc":1,"axc":2}"#, false), (#"{"abc":1,"a\u0062c":2}"#, true), (#"{"a\u0062c":1,"abc":2}"#, true),
            (#"{"\u0061":1,"b":2,"a":3}"#, true), (#"{"":1,"x":2,"":3}"#, true), (#"{"":1,"\u0000":2}"#, false),
        ])
    func lookalikes(document: String, isRefused: Bool) {
        let refused = (try? JSONSpanScanner.scan(Array(document.utf8))) == nil
        #expect(refused == isRefused)
    }
}
