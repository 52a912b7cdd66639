import JSONSpans
import Testing

@testable import AdminClient

/// A key set answers exactly "is this key one of the names?", whatever the names share: a length, the first
/// seven bytes (the key word), or everything but the last byte.
@Suite struct KeySetTests {
    static let names = ["", "a", "date", "actor", "is_remot", "is_remote", "is_remotes", "model_breakdown", "model_breakdowN", "é"]
    static let set = KeySet(names.map { Array($0.utf8) })

    @Test(
        "matches a scanned key exactly when it is one of the names, escaped or not",
        arguments: [
            ("a", true), ("date", true), ("is_remote", true), ("is_remot", true), ("is_remotes", true),
            ("model_breakdown", true), ("model_breakdowN", true), ("é", true), ("", true),
            ("b", false), ("dat", false), ("dates", false), ("is_remotx", false), ("model_breakdowm", false),
            ("model_breakdownn", false), ("Date", false), ("e", false),
        ])
    func scannedKeys(key: String, isMember: Bool) throws {
        var document: [UInt8] = []
        JSONWriter.writeString(key, into: &document)
        let plain = try JSONSpanScanner.scan(Array("{".utf8) + document + Array(":1}".utf8))
        #expect(Self.set.contains(key: 1, in: plain) == isMember)
        // The same key with its first character escaped takes the unescaping path.
        guard let first = key.unicodeScalars.first else { return }
        let hex = String(first.value, radix: 16)
        let escaped = "\\u" + String(repeating: "0", count: 4 - hex.count) + hex + String(key.unicodeScalars.dropFirst())
        let map = try JSONSpanScanner.scan(Array("{\"\(escaped)\":1}".utf8))
        #expect(!map.isSimple(1))
        #expect(Self.set.contains(key: 1, in: map) == isMember)
    }

    @Test("matches a written name byte for byte", arguments: names + ["b", "is_remotx", "model_breakdowm", "model_breakdownn"])
    func writtenNames(name: String) {
        let bytes = Array(name.utf8)
        #expect(Self.set.contains(bytes[...]) == Self.names.contains(name))
        let padded = Array("xx".utf8) + bytes + Array("yy".utf8)
        #expect(Self.set.contains(padded[2..<(2 + bytes.count)]) == Self.names.contains(name))
    }
}
