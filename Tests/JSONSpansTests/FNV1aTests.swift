import JSONSpans
import Testing

/// The incremental FNV-1a is the checkpoints' fingerprint.
@Suite struct FNV1aTests {
    @Test("matches the published 64-bit FNV-1a vectors", arguments: [("", "cbf29ce484222325"), ("a", "af63dc4c8601ec8c"), ("foobar", "85944171f73967e8")])
    func vectors(input: String, hex: String) {
        var hash = FNV1a()
        hash.combine(Array(input.utf8))
        #expect(hash.hex == hex)
    }

    @Test("feeding in pieces gives the hash of the whole")
    func incremental() {
        var whole = FNV1a()
        whole.combine(Array(#"{"id":"x","n":1}"#.utf8))
        var pieces = FNV1a()
        pieces.combine(Array(#"{"id":"#.utf8))
        pieces.combine(Array(#""x","n":1}"#.utf8))
        #expect(whole == pieces)
    }
}
