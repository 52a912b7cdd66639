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

    /// The error parsing `bytes` ends with (records an issue when it parses).
    static func error(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) -> JSONParser.SyntaxError? {
        do {
            let value = try JSONParser.parse(bytes)
            Issue.record("parsed as \(value)", sourceLocation: sourceLocation)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "a key repeated in one object is refused, naming its path",
        arguments: [
            (#"{"a":1,"a":2}"#, "$.a"),
            (#"{"data":[{"id":"x"},{"id":"y","type":"user","id":"z"}]}"#, "$.data[1].id"),
            (#"{"outer":{"inner":{"k":null,"k":null}}}"#, "$.outer.inner.k"),
            (#"{"a\u0062":1,"ab":2}"#, "$.ab"),
        ])
    func duplicateKeys(json: String, path: String) throws {
        let error = try #require(Self.error(Array(json.utf8)))
        #expect(error.path == path)
        #expect(error.expected.contains("appears twice"))
    }

    @Test("a repeated key is caught in a large object too (past the scan threshold)")
    func duplicateKeyInLargeObject() throws {
        let members = (0..<1000).map { #""k\#($0)":\#($0)"# } + [#""k500":0"#]
        let error = try #require(Self.error(Array(("{" + members.joined(separator: ",") + "}").utf8)))
        #expect(error.path == "$.k500")
        let distinct = (0..<1000).map { #""k\#($0)":\#($0)"# }
        #expect(try JSONParser.parse(Array(("{" + distinct.joined(separator: ",") + "}").utf8)).objectValue?.count == 1000)
    }

    @Test("the same key in different objects is fine")
    func sameKeyInSiblings() throws {
        let value = try JSONParser.parse(Array(#"[{"id":1},{"id":2,"x":{"id":3}}]"#.utf8))
        #expect(value.arrayValue?.count == 2)
    }

    @Test(
        "invalid UTF-8 in a string or a key is refused, naming the path and the byte",
        arguments: [
            ([0x22, 0xFF, 0x22], "$", 1),  // a byte that never appears in UTF-8
            ([0x22, 0x61, 0xC3, 0x22], "$", 2),  // a truncated two-byte sequence
            ([0x22, 0xC0, 0xAF, 0x22], "$", 1),  // an overlong '/'
            ([0x22, 0xED, 0xA0, 0x80, 0x22], "$", 1),  // an encoded surrogate
            ([0x22, 0xF4, 0x90, 0x80, 0x80, 0x22], "$", 1),  // past U+10FFFF
            ([0x22, 0x80, 0x22], "$", 1),  // a stray continuation byte
            ([0x22, 0x5C, 0x6E, 0xE2, 0x82, 0x22], "$", 3),  // after an escape
            (Array(#"{"ok":"fine","bad":""#.utf8) + [0xE9] + Array(#""}"#.utf8), "$.bad", 20),
            (Array(#"{""#.utf8) + [0xFE] + Array(#"":1}"#.utf8), "$", 2),  // in a key
        ] as [([UInt8], String, Int)])
    func invalidUTF8(bytes: [UInt8], path: String, offset: Int) throws {
        let error = try #require(Self.error(bytes))
        #expect(error.path == path)
        #expect(error.offset == offset)
        #expect(error.expected == "valid UTF-8 in a string")
    }

    @Test("a byte outside ASCII anywhere but a string is a syntax error")
    func nonASCIIOutsideStrings() {
        for bytes: [UInt8] in [[0xEF, 0xBB, 0xBF, 0x31], [0x5B, 0xC3, 0xA9, 0x5D], [0x7B, 0x7D, 0xFF]] {
            #expect(Self.error(bytes) != nil)
        }
    }

    @Test("valid multi-byte UTF-8 of every length survives, with and without escapes")
    func validUTF8() throws {
        let text = "é€😀 ascii ∑"
        let value = try JSONParser.parse(Array("[\"\(text)\",\"\\n\(text)\"]".utf8))
        #expect(value.arrayValue == [.string(text), .string("\n" + text)])
    }
}
