import Testing

@testable import StreamerCLI

/// The settings parser trims exactly what Foundation's `trimmingCharacters(in: .whitespaces)` trimmed (tabs and
/// Unicode space separators, not line breaks), and table columns are cut or padded to their width, now without
/// Foundation.
@Suite struct StringTextTests {
    @Test(
        "spaces, tabs and Unicode space separators at either end are trimmed, nothing inside",
        arguments: [
            ("  a b  ", "a b"), ("\ta\t", "a"), ("\u{00A0}x\u{2003}", "x"), ("   ", ""), ("", ""),
            ("\u{3000}key = value\u{202F}", "key = value"),
        ])
    func trimsSpaces(text: String, expected: String) {
        #expect(text.trimmingWhitespace() == expected)
        #expect(text[...].trimmingWhitespace() == expected)
    }

    @Test("line breaks are not spaces: they stay, as they did with CharacterSet.whitespaces")
    func keepsLineBreaks() {
        #expect(" a\n".trimmingWhitespace() == "a\n")
        #expect("\r\nb ".trimmingWhitespace() == "\r\nb")
    }

    @Test("a column is padded with spaces to its width, or cut to it")
    func pads() {
        #expect("ab".padded(to: 5) == "ab   ")
        #expect("abcdef".padded(to: 3) == "abc")
        #expect("abc".padded(to: 3) == "abc")
        #expect("".padded(to: 2) == "  ")
    }
}
