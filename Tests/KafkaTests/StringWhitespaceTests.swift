import Testing

@testable import Kafka

/// The bootstrap list and the settings parser trim exactly what Foundation's `trimmingCharacters(in: .whitespaces)`
/// trimmed (tabs and Unicode space separators, not line breaks), now without Foundation.
@Suite struct StringWhitespaceTests {
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
}
