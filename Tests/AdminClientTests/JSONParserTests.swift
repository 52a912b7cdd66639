import Testing

@testable import AdminClient

@Suite struct JSONParserTests {
    @Test("numbers keep their literal text")
    func numbersKeepLiterals() throws {
        let value = try JSONParser.parse(Array(#"{"a":1834.5012,"b":-0,"c":12345678901234567890}"#.utf8))
        #expect(value["a"]?.numberValue?.literal == "1834.5012")
        #expect(value["c"]?.numberValue?.literal == "12345678901234567890")
        #expect(JSONWriter.string(value) == #"{"a":1834.5012,"b":-0,"c":12345678901234567890}"#)
    }

    @Test("a syntax error names the path")
    func syntaxErrorNamesPath() {
        #expect(throws: JSONParser.SyntaxError.self) {
            try JSONParser.parse(Array(#"{"data":[{"x":1},{"y":tru}]}"#.utf8))
        }
        do {
            _ = try JSONParser.parse(Array(#"{"data":[{"x":1},{"y":tru}]}"#.utf8))
        } catch {
            #expect(error.path == "$.data[1].y")
        }
    }

    @Test("escapes round-trip")
    func escapes() throws {
        let value = try JSONParser.parse(Array(#"["a\"b\\c\n\u00e9\ud83d\ude00"]"#.utf8))
        #expect(value.arrayValue?.first?.stringValue == "a\"b\\c\né😀")
        let back = try JSONParser.parse(JSONWriter.encode(value))
        #expect(back == value)
    }
}
