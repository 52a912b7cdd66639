import AdminClient
import JSONSpans
import Testing

/// The span scanner reads what the strict parser reads, refuses duplicate keys and invalid UTF-8 naming the
/// path, and writes values back byte for byte as `JSONWriter` does.
@Suite struct JSONSpanScannerTests {
    static let documents: [String] = [
        #"{}"#, #"[]"#, #"0"#, #"-0.5e+3"#, #""plain""#, #"true"#, #"null"#,
        #"{"a":1,"b":[1,2,{"c":null}],"d":{"e":"f"}}"#,
        " { \"spaced\" :\t[ 1 , 2 ] ,\n\"x\" : { } } ",
        #"{"esc":"quote \" backslash \\ slash \/ tab \t nl \n cr \r bs \b ff \f"}"#,
        #"{"u":"\u00e9\u0041\u0000\u001f\ud83d\ude00","raw":"é😀"}"#,
        #"{"\u0041key":"v","n":[-0,1.25,1E5,123456789012345678901234567890]}"#,
        #"[[[[[]]]],{"deep":{"deeper":{"deepest":[true,false]}}}]"#,
    ]

    @Test("writes every accepted document back exactly as JSONWriter writes the parser's value", arguments: documents)
    func compactMatchesWriter(document: String) throws {
        let bytes = Array(document.utf8)
        let map = try JSONSpanScanner.scan(bytes)
        var out: [UInt8] = []
        map.appendCompact(map.root, into: &out)
        #expect(String(decoding: out, as: UTF8.self) == JSONWriter.string(try JSONParser.parse(bytes)))
    }

    @Test(
        "scans documents denser than one value per 8 bytes (its first room) whole: every value, in order",
        arguments: [1, 7, 100, 5_000])
    func denseDocuments(count: Int) throws {
        // `[0,0,…]`: a value per 2 bytes; `[[…]]`: a value per 2 bytes, nested.
        let flat = Array(("[" + Array(repeating: "0", count: count).joined(separator: ",") + "]").utf8)
        let map = try JSONSpanScanner.scan(flat)
        #expect(map.valueCount == count + 1)
        #expect(map.count(map.root) == count)
        #expect((1...count).allSatisfy { map.kind($0) == .number && map.span($0) == (2 * $0 - 1)..<(2 * $0) })
        let depth = min(count, JSONSpanScanner.maximumDepth)
        let nested = Array((String(repeating: "[", count: depth) + String(repeating: "]", count: depth)).utf8)
        let nestedMap = try JSONSpanScanner.scan(nested)
        #expect(nestedMap.valueCount == depth)
        #expect((0..<depth).allSatisfy { nestedMap.kind($0) == .array && nestedMap.next(after: $0) == depth })
    }

    @Test("reads numbers of 1-20 digits at every alignment, ended by any byte, as the parser does")
    func numbersAtEveryAlignment() throws {
        let digits = Array("98765432109876543210".utf8)
        // Neighbours of the digits ('/' and ':'), bytes with the high bit set, and what may follow a number.
        let followers = [",0]", "]", ".5]", ".25e-3]", "e12]", "E+1]", "/]", ":]", " ]", "\u{7F}]", "é]", "0]"]
        for count in 1...20 {
            for pad in 0..<8 {
                for follower in followers {
                    let document = "[" + String(repeating: " ", count: pad) + String(decoding: digits.prefix(count), as: UTF8.self) + follower
                    let bytes = Array(document.utf8)
                    let parsed = try? JSONParser.parse(bytes)
                    let scanned = try? JSONSpanScanner.scan(bytes)
                    #expect((parsed == nil) == (scanned == nil), "\(document)")
                    guard let parsed, let scanned else { continue }
                    var out: [UInt8] = []
                    scanned.appendCompact(scanned.root, into: &out)
                    #expect(String(decoding: out, as: UTF8.self) == JSONWriter.string(parsed), "\(document)")
                    #expect(scanned.span(1).lowerBound == 1 + pad)
                }
            }
        }
    }

    @Test("records a simple string as its bytes and flags strings with escapes")
    func simpleStrings() throws {
        let map = try JSONSpanScanner.scan(Array(#"["abc","a\nb","é"]"#.utf8))
        #expect(map.kind(1) == .string && map.isSimple(1) && map.isASCII(1))
        #expect(!map.isSimple(2))
        #expect(map.isSimple(3) && !map.isASCII(3))
        #expect(Array(map.bytes[map.span(1)]) == Array("abc".utf8))
        #expect(map.string(2) == "a\nb")
    }

    @Test("finds the byte that ends a run of plain string bytes at every offset of an eight-byte word")
    func stringBytesAtEveryOffset() throws {
        // The string scan skips eight plain bytes at a time: each byte that needs a look must be found wherever it
        // lies in a word, with plain bytes (space, DEL, `!`, `#`, `[`, `]`: neighbours of the looked-for bytes)
        // before it.
        for length in 0..<20 {
            for position in 0..<length {
                var plain = Array(repeating: UInt8(ascii: "a"), count: length)
                for offset in 0..<position { plain[offset] = [0x20, 0x7F, 0x21, 0x23, 0x5B, 0x5D][offset % 6] }
                var control = plain
                control[position] = 0x1F
                do throws(JSONSpanError) {
                    _ = try JSONSpanScanner.scan([0x22] + control + [0x22])
                    Issue.record("a control character at \(position) of \(length) accepted")
                } catch {
                    #expect(error.offset == 1 + position, "a control character at \(position) of \(length)")
                }
                // The closing quote, with more JSON after it in the same word.
                let early = try JSONSpanScanner.scan(Array(#"[""#.utf8) + plain[..<position] + Array(#"",1,2,3,4]"#.utf8))
                #expect(early.span(1) == 2..<(2 + position), "a quote at \(position)")
                let before = [0x22] + plain[..<position]
                let after = plain[position...] + [0x22]
                let escaped = try JSONSpanScanner.scan(before + Array(#"\n"#.utf8) + after)
                #expect(!escaped.isSimple(0) && escaped.isASCII(0) && escaped.span(0) == 1..<(3 + length))
                let accented = try JSONSpanScanner.scan(before + Array("é".utf8) + after)
                #expect(accented.isSimple(0) && !accented.isASCII(0) && accented.span(0) == 1..<(3 + length))
            }
            let clean = try JSONSpanScanner.scan([0x22] + Array(repeating: UInt8(ascii: "a"), count: length) + [0x22])
            #expect(clean.isSimple(0) && clean.isASCII(0) && clean.span(0) == 1..<(1 + length))
        }
    }

    @Test("skips a container in one step to its next sibling")
    func nextSibling() throws {
        let map = try JSONSpanScanner.scan(Array(#"{"a":{"b":[1,2,3]},"c":4}"#.utf8))
        let a = try #require(map.member(map.root, Array("a".utf8)))
        #expect(map.kind(map.next(after: a)) == .string)
        #expect(map.stringEquals(map.next(after: a), Array("c".utf8)))
        #expect(map.count(map.root) == 2)
        let c = try #require(map.member(map.root, Array("c".utf8)))
        #expect(Array(map.bytes[map.span(c)]) == Array("4".utf8))
    }

    @Test(
        "records a container's text as compact exactly when it has no whitespace and no escape inside",
        arguments: [
            (#"{"a":[1,"x",{"b":null}],"c":{}}"#, true),
            (#"{"a":[]}"#, true),
            (#"[{"model":"é","n":-1.5e3},true]"#, true),
            (#"{"a" :1}"#, false),
            (#"[1, 2]"#, false),
            (#"{"a":"\n"}"#, false),
            (#"{"\u0061":1}"#, false),
            (#"[{"a":1},{"b":"q\"q"}]"#, false),
        ])
    func compactContainers(document: String, isCompact: Bool) throws {
        let bytes = Array(document.utf8)
        let map = try JSONSpanScanner.scan(bytes)
        #expect((map.compactSpan(map.root) != nil) == isCompact)
        if let span = map.compactSpan(map.root) { #expect(span == 0..<bytes.count) }
    }

    @Test("finds a compact container's text inside a document with whitespace and escapes elsewhere")
    func compactInsideLoose() throws {
        let document = " { \"loose\" : \"a\\tb\" ,\n \"tight\":[{\"m\":[1,{\"k\":\"v\"}]},2] , \"last\" : [ 1 ] } "
        let bytes = Array(document.utf8)
        let map = try JSONSpanScanner.scan(bytes)
        #expect(map.compactSpan(map.root) == nil)
        let tight = try #require(map.member(map.root, Array("tight".utf8)))
        let span = try #require(map.compactSpan(tight))
        #expect(String(decoding: bytes[span], as: UTF8.self) == #"[{"m":[1,{"k":"v"}]},2]"#)
        let element = try #require(map.member(tight + 1, Array("m".utf8)))
        #expect(map.compactSpan(element).map { String(decoding: bytes[$0], as: UTF8.self) } == #"[1,{"k":"v"}]"#)
        let last = try #require(map.member(map.root, Array("last".utf8)))
        #expect(map.compactSpan(last) == nil)
    }

    @Test(
        "gives no compact span for scalars and for containers whose first descendant is empty (no offset to start from)",
        arguments: [#""s""#, "1", "null", "[]", "{}", "[[],1]", #"[{},"x"]"#])
    func noCompactSpan(document: String) throws {
        let bytes = Array(document.utf8)
        let map = try JSONSpanScanner.scan(bytes)
        #expect(map.compactSpan(map.root) == nil)
        var out: [UInt8] = []
        map.appendCompact(map.root, into: &out)
        #expect(out == bytes)
    }

    @Test(
        "packs a scanned string's length and first seven bytes as keyWord(of:) packs its bytes, near the end of the input too",
        arguments: ["", "a", "abcdefg", "abcdefgh", "model_breakdown", String(repeating: "k", count: 300), "é😀"])
    func keyWords(key: String) throws {
        let bytes = Array(key.utf8)
        for document in [[0x22] + bytes + [0x22], Array("[".utf8) + [0x22] + bytes + [0x22] + Array(",1234567890]".utf8)] {
            let map = try JSONSpanScanner.scan(document)
            let string = map.kind(map.root) == .string ? map.root : map.root + 1
            #expect(map.keyWord(string) == JSONSpanMap.keyWord(of: bytes))
            #expect(map.stringSuffix(string, from: min(7, bytes.count), equals: bytes, min(7, bytes.count)..<bytes.count))
        }
        #expect(JSONSpanMap.keyWord(of: bytes) >> 56 == UInt64(min(bytes.count, 255)))
    }

    @Test("gives different key words to strings that differ in length or in their first seven bytes")
    func keyWordsDiffer() {
        let keys = ["", "a", "b", "ab", "abcdefg", "abcdefh", "abcdefgh", "bbcdefgh"].map { Array($0.utf8) }
        let words = Set(keys.map { JSONSpanMap.keyWord(of: $0) })
        #expect(words.count == keys.count)
        #expect(JSONSpanMap.keyWord(of: Array("abcdefgh".utf8)) == JSONSpanMap.keyWord(of: Array("abcdefgX".utf8)))
    }

    @Test(
        "refuses a key repeated in one object, naming its path",
        arguments: [
            (#"{"data":[{"id":1,"id":2}]}"#, "$.data[0].id"),
            (#"{"a":1,"\u0061":2}"#, "$.a"),
            (#"{"x":{"y":{"k":1,"z":2,"k":3}}}"#, "$.x.y.k"),
        ])
    func duplicateKeys(document: String, path: String) {
        #expect {
            try JSONSpanScanner.scan(Array(document.utf8))
        } throws: { error in
            guard let error = error as? JSONSpanError else { return false }
            return error.path == path && error.expected.contains("duplicate")
        }
    }

    @Test("accepts the same key in different objects")
    func sameKeyInSiblings() throws {
        _ = try JSONSpanScanner.scan(Array(#"[{"id":1},{"id":2,"x":{"id":3}}]"#.utf8))
    }

    @Test(
        "refuses invalid UTF-8 in a string, naming its path",
        arguments: [
            [0xFF], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF4, 0x90, 0x80, 0x80], [0x80], [0xC3],
        ] as [[UInt8]])
    func invalidUTF8(sequence: [UInt8]) {
        let document = Array(#"{"data":[{"name":"a"#.utf8) + sequence + Array(#"b"}]}"#.utf8)
        #expect {
            try JSONSpanScanner.scan(document)
        } throws: { error in
            guard let error = error as? JSONSpanError else { return false }
            return error.path == "$.data[0].name" && error.expected == "valid UTF-8"
        }
    }

    @Test("refuses invalid UTF-8 in a key")
    func invalidUTF8Key() {
        #expect(throws: JSONSpanError.self) { try JSONSpanScanner.scan([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D]) }
    }

    @Test("accepts nesting 512 deep and refuses 513")
    func depth() throws {
        let ok = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        _ = try JSONSpanScanner.scan(Array(ok.utf8))
        let deep = String(repeating: "[", count: 513) + String(repeating: "]", count: 513)
        #expect(throws: JSONSpanError.self) { try JSONSpanScanner.scan(Array(deep.utf8)) }
    }

    @Test(
        "refuses what the parser refuses",
        arguments: [
            "", " ", "{", "[1,]", #"{"a"}"#, #"{"a":1,}"#, "01", "1.", "-", "1e", "tru", "nul", #""abc"#,
            "\"a\u{01}b\"", #""\x""#, #""\u12""#, #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#, "[1] 2", "{} x",
        ])
    func syntaxErrors(document: String) {
        let bytes = Array(document.utf8)
        #expect(throws: JSONSpanError.self) { try JSONSpanScanner.scan(bytes) }
        #expect(throws: (any Error).self) { try JSONParser.parse(bytes) }
    }

    @Test(
        "reads a string the same wherever an escape, a quote, a control character or a non-ASCII byte falls in it",
        arguments: [[0x5C, 0x6E], [0x5C, 0x22], [0x22], [0x01], [0x1F], [0x7F], [0xC3, 0xA9], [0xFF], [0x20], [0x7E]] as [[UInt8]])
    func plainByteSkip(special: [UInt8]) throws {
        for length in 0..<20 {
            for position in 0...length {
                let plain = Array(repeating: UInt8(ascii: "k"), count: length)
                let body = Array(plain[..<position]) + special + Array(plain[position...])
                for document in [[0x22] + body + [0x22], Array(#"{"k":"#.utf8) + [0x22] + body + [0x22] + Array("}".utf8)] {
                    let parsed = try? JSONParser.parse(document)
                    let scanned = try? JSONSpanScanner.scan(document)
                    #expect((parsed == nil) == (scanned == nil), "\(document)")
                    guard let parsed, let scanned else { continue }
                    var out: [UInt8] = []
                    scanned.appendCompact(scanned.root, into: &out)
                    #expect(out == JSONWriter.encode(parsed), "\(document)")
                    let string = scanned.kind(scanned.root) == .string ? scanned.root : scanned.root + 2
                    #expect(scanned.isSimple(string) == !special.contains(0x5C))
                    #expect(scanned.isASCII(string) == !special.contains { $0 >= 0x80 })
                }
            }
        }
    }

    @Test("never crashes on mutated documents, and agrees with the parser on every one (seeded, 20,000 cases)")
    func fuzz() throws {
        var random = SplitMix64(seed: 0x5EED_16)
        let seeds = Self.documents.map { Array($0.utf8) } + [
            Array(#"{"data":[{"date":"2025-09-01","actor":{"type":"user_actor","email_address":"a@b.c"},"n":[1,2.5]}],"has_more":false}"#.utf8)
        ]
        let alphabet: [UInt8] = Array(#"{}[]",:\ntrufalse0123456789-+.eE u"#.utf8) + [0x00, 0x1F, 0x80, 0xC3, 0xA9, 0xED, 0xFF]
        for _ in 0..<20_000 {
            var bytes = seeds[Int(random.next() % UInt64(seeds.count))]
            for _ in 0..<(1 + Int(random.next() % 4)) {
                let position = bytes.isEmpty ? 0 : Int(random.next() % UInt64(bytes.count + 1))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 4 {
                case 0 where position < bytes.count: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                case 2 where position < bytes.count: bytes.remove(at: position)
                default: bytes = Array(bytes.prefix(position))
                }
            }
            let parsed = try? JSONParser.parse(bytes)
            switch Result(catching: { () throws(JSONSpanError) in try JSONSpanScanner.scan(bytes) }) {
            case .success(let map):
                let value = try #require(parsed, "scanner accepted what the parser refuses: \(bytes)")
                var out: [UInt8] = []
                map.appendCompact(map.root, into: &out)
                #expect(out == JSONWriter.encode(value), "\(bytes)")
            case .failure(let error):
                if parsed != nil {
                    // Only the hardening may refuse what the parser reads.
                    #expect(error.expected.contains("duplicate") || error.expected == "valid UTF-8", "\(bytes): \(error)")
                }
                #expect(error.path.hasPrefix("$"))
                #expect(error.offset >= 0 && error.offset <= bytes.count)
            }
        }
    }
}

/// A small seeded generator, so a failing case can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
