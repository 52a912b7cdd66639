import Testing

@testable import StreamerCLI

/// Table columns are cut or padded to their width, now without Foundation.
@Suite struct StringTextTests {
    @Test("a column is padded with spaces to its width, or cut to it")
    func pads() {
        #expect("ab".padded(to: 5) == "ab   ")
        #expect("abcdef".padded(to: 3) == "abc")
        #expect("abc".padded(to: 3) == "abc")
        #expect("".padded(to: 2) == "  ")
    }
}
