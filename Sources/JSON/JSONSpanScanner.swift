/// Scans a JSON document (RFC 8259) into a ``JSONSpanMap`` in one pass.
///
/// It accepts exactly what the strict parser accepts, and also rejects what that parser's hardening rejects:
/// a key repeated in one object, and strings that are not valid UTF-8. Every error names the JSON path and
/// byte offset; no input can crash it (nesting is capped at 512 levels, as the parser's is).
public enum JSONSpanScanner {
    /// The deepest nesting of objects and arrays accepted.
    public static let maximumDepth = 512
    /// The longest document accepted, in bytes (4 GiB - 1: offsets are stored in 32 bits).
    public static let maximumLength = Int(UInt32.max)

    /// Scans `bytes` as one JSON document.
    ///
    /// - Parameter bytes: the UTF-8 document.
    /// - Returns: the document's values, in order.
    /// - Throws: ``JSONSpanError`` naming the path, the offset and what was expected.
    public static func scan(_ bytes: [UInt8]) throws(JSONSpanError) -> JSONSpanMap {
        // Entries store offsets in 32 bits (``JSONSpanMap``); the Admin client's bodies are capped far below.
        guard bytes.count <= maximumLength else {
            throw JSONSpanError(path: "$", offset: 0, expected: "a document of at most \(maximumLength) bytes")
        }
        // Values are written through a pointer into the entries' array (no uniqueness or growth check per
        // value): room for one value per 8 bytes first (Admin API pages hold about one per 10), and if a
        // document holds more, a second scan with room for one per byte, which no document exceeds (each
        // value's first byte is its own).
        var capacity = bytes.count / 8 + 4
        while true {
            var failure: JSONSpanError? = nil
            var overflowed = false
            let entries = [JSONSpanMap.Entry](unsafeUninitializedCapacity: capacity) { buffer, count in
                var state = ScanState(entries: EntryBuffer(buffer))
                defer { count = state.entries.count }
                do throws(JSONSpanError) {
                    try bytes.withUnsafeBufferPointer { (input) throws(JSONSpanError) in
                        do throws(JSONSpanError) {
                            try state.scanValue(input)
                        } catch {
                            throw error.prefixed("$")
                        }
                        state.skipWhitespace(input)
                        if state.index != input.count { throw state.fail("end of document").prefixed("$") }
                    }
                } catch {
                    if state.entries.overflowed { overflowed = true } else { failure = error }
                }
            }
            if overflowed {
                capacity = bytes.count + 1
                continue
            }
            if let failure { throw failure }
            return JSONSpanMap(bytes: bytes, entries: entries)
        }
    }
}

/// The scanner's entries, written through a pointer into storage reserved up front: an append checks only the
/// room left, and a full buffer stops the scan (``overflowed``) for a retry with room enough.
private struct EntryBuffer {
    typealias Entry = JSONSpanMap.Entry
    let base: UnsafeMutablePointer<Entry>
    let capacity: Int
    private(set) var count = 0
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<Entry>) {
        // `Array(unsafeUninitializedCapacity:)` hands over at least the capacity asked for, which is never 0.
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    @inline(__always)
    mutating func append(_ entry: Entry) throws(JSONSpanError) {
        guard count < capacity else {
            overflowed = true
            throw JSONSpanError(path: "", offset: 0, expected: "room for the scanned values")
        }
        (base + count).initialize(to: entry)
        count &+= 1
    }

    /// Entry `index` (< ``count``).
    @inline(__always)
    subscript(index: Int) -> Entry {
        get { base[index] }
        nonmutating set { base[index] = newValue }
    }
}

private struct ScanState {
    typealias Entry = JSONSpanMap.Entry
    var entries: EntryBuffer
    var index = 0
    var depth = 0
    /// The offset of the last whitespace byte skipped or escape read (-1: none yet). Offsets only grow, so a
    /// container whose opening bracket lies after it holds neither: its text is already compact.
    var lastLoose = -1

    init(entries: EntryBuffer) {
        self.entries = entries
    }

    func fail(_ expected: String) -> JSONSpanError {
        JSONSpanError(path: "", offset: index, expected: expected)
    }

    @inline(__always)
    mutating func skipWhitespace(_ input: UnsafeBufferPointer<UInt8>) {
        while index < input.count {
            switch input[index] {
            case 0x20, 0x0A, 0x0D, 0x09:
                lastLoose = index
                index += 1
            default: return
            }
        }
    }

    mutating func scanValue(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) {
        skipWhitespace(input)
        guard index < input.count else { throw fail("a value") }
        switch input[index] {
        case UInt8(ascii: "{"): try scanObject(input)
        case UInt8(ascii: "["): try scanArray(input)
        case UInt8(ascii: "\""): try scanString(input)
        case UInt8(ascii: "t"): try scanLiteral(input, "true", .true)
        case UInt8(ascii: "f"): try scanLiteral(input, "false", .false)
        case UInt8(ascii: "n"): try scanLiteral(input, "null", .null)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try scanNumber(input)
        default: throw fail("a value")
        }
    }

    mutating func scanLiteral(
        _ input: UnsafeBufferPointer<UInt8>, _ literal: StaticString, _ kind: JSONSpanMap.Kind
    ) throws(JSONSpanError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= input.count else { throw fail("'\(literal)'") }
        let start = index
        let matches = literal.withUTF8Buffer { word in
            for offset in 0..<count where input[start + offset] != word[offset] { return false }
            return true
        }
        guard matches else { throw fail("'\(literal)'") }
        try entries.append(Entry(kind: kind, flags: 0, first: index, second: count))
        index += count
    }

    mutating func enter() throws(JSONSpanError) {
        depth += 1
        if depth > JSONSpanScanner.maximumDepth { throw fail("nesting no deeper than \(JSONSpanScanner.maximumDepth)") }
    }

    mutating func scanObject(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) {
        try enter()
        defer { depth -= 1 }
        let me = entries.count
        let start = index
        try entries.append(Entry(kind: .object, flags: 0, first: 0, second: 0))
        index += 1  // {
        skipWhitespace(input)
        if index < input.count, input[index] == UInt8(ascii: "}") {
            index += 1
            entries[me].first = entries.count
            entries[me].compactLength = compactLength(from: start)
            return
        }
        var children = 0
        // One bit per simple key read so far, chosen by its length and first and last bytes: a simple key whose bit
        // is clear differs from every earlier simple key, so it needs no comparison. Once a key with an escape has
        // been read (its text is not its bytes), every later key is compared.
        var simpleKeyBits: UInt64 = 0
        var hasEscapedKey = false
        while true {
            skipWhitespace(input)
            guard index < input.count, input[index] == UInt8(ascii: "\"") else { throw fail("an object key") }
            let keyStart = index
            let key = entries.count
            try scanString(input)
            // A key read twice is refused: which value would a consumer see? (Objects are small: a scan of the
            // earlier keys is cheaper than hashing, and most keys skip even that by their bit.)
            var earlier = me + 1
            let keyEntry = entries[key]
            if keyEntry.flags & JSONSpanMap.simpleFlag != 0 {
                let bit = Self.keyBit(input, keyEntry)
                if !hasEscapedKey, simpleKeyBits & bit == 0 { earlier = key }
                simpleKeyBits |= bit
            } else {
                hasEscapedKey = true
            }
            while earlier < key {
                if Self.sameKey(input, entries[earlier], entries[key]) {
                    var error = JSONSpanError(path: "", offset: keyStart, expected: "no duplicate key")
                    let name = String(decoding: Self.unescaped(input, entries[key]), as: UTF8.self)
                    error.expected = "no duplicate key \"\(name)\" in one object"
                    throw error.prefixed("." + name)
                }
                earlier = Self.next(entries, after: earlier + 1)
            }
            skipWhitespace(input)
            guard index < input.count, input[index] == UInt8(ascii: ":") else { throw fail("':'") }
            index += 1
            do throws(JSONSpanError) {
                try scanValue(input)
            } catch {
                throw error.prefixed("." + String(decoding: Self.unescaped(input, entries[key]), as: UTF8.self))
            }
            children += 2
            skipWhitespace(input)
            guard index < input.count else { throw fail("',' or '}'") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if input[index] == UInt8(ascii: "}") {
                index += 1
                entries[me].first = entries.count
                entries[me].second = children
                entries[me].compactLength = compactLength(from: start)
                return
            }
            throw fail("',' or '}'")
        }
    }

    mutating func scanArray(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) {
        try enter()
        defer { depth -= 1 }
        let me = entries.count
        let start = index
        try entries.append(Entry(kind: .array, flags: 0, first: 0, second: 0))
        index += 1  // [
        skipWhitespace(input)
        if index < input.count, input[index] == UInt8(ascii: "]") {
            index += 1
            entries[me].first = entries.count
            entries[me].compactLength = compactLength(from: start)
            return
        }
        var children = 0
        while true {
            do throws(JSONSpanError) {
                try scanValue(input)
            } catch {
                throw error.prefixed("[\(children)]")
            }
            children += 1
            skipWhitespace(input)
            guard index < input.count else { throw fail("',' or ']'") }
            if input[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if input[index] == UInt8(ascii: "]") {
                index += 1
                entries[me].first = entries.count
                entries[me].second = children
                entries[me].compactLength = compactLength(from: start)
                return
            }
            throw fail("',' or ']'")
        }
    }

    /// The text length of the container that opened at `start` and closed just before `index`, when nothing
    /// loose (whitespace, an escape) lies inside it; else 0 (``JSONSpanMap/Entry/compactLength``).
    @inline(__always)
    func compactLength(from start: Int) -> UInt32 {
        guard lastLoose < start else { return 0 }
        return UInt32(exactly: index - start) ?? 0
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }

    mutating func scanNumber(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) {
        let start = index
        if input[index] == UInt8(ascii: "-") { index += 1 }
        guard index < input.count else { throw fail("a digit") }
        if input[index] == UInt8(ascii: "0") {
            index += 1
        } else if Self.isDigit(input[index]) {
            skipDigits(input)
        } else {
            throw fail("a digit")
        }
        if index < input.count, input[index] == UInt8(ascii: ".") {
            index += 1
            guard index < input.count, Self.isDigit(input[index]) else { throw fail("a digit after '.'") }
            skipDigits(input)
        }
        if index < input.count, input[index] == UInt8(ascii: "e") || input[index] == UInt8(ascii: "E") {
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < input.count, Self.isDigit(input[index]) else { throw fail("a digit in the exponent") }
            skipDigits(input)
        }
        try entries.append(Entry(kind: .number, flags: 0, first: start, second: index - start))
    }

    /// Moves `index` past the digits there, eight bytes at a time while eight remain: a byte is a digit when it
    /// differs from `0` by less than 10 (each byte tested on its own: no carry crosses bytes).
    @inline(__always)
    mutating func skipDigits(_ input: UnsafeBufferPointer<UInt8>) {
        if let base = input.baseAddress {
            let zeros: UInt64 = 0x3030_3030_3030_3030
            let highs: UInt64 = 0x8080_8080_8080_8080
            while index <= input.count &- 8 {
                let offset = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) ^ zeros
                // A byte's high bit: set when the byte ^ '0' is 10 or more ((its low 7 bits + 0x76) reach 0x80, or
                // its own high bit is set).
                let other = (((offset & ~highs) &+ 0x7676_7676_7676_7676) | offset) & highs
                if other != 0 {
                    index &+= other.trailingZeroBitCount >> 3
                    return
                }
                index &+= 8
            }
        }
        while index < input.count, Self.isDigit(input[index]) { index += 1 }
    }

    mutating func scanString(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) {
        index += 1  // opening quote
        let start = index
        var isSimple = true
        var isASCII = true
        while index < input.count {
            skipPlainBytes(input)
            guard index < input.count else { break }
            let byte = input[index]
            if byte == UInt8(ascii: "\"") {
                let flags = (isSimple ? JSONSpanMap.simpleFlag : 0) | (isASCII ? JSONSpanMap.asciiFlag : 0)
                try entries.append(Entry(kind: .string, flags: flags, first: start, second: index - start))
                index += 1
                return
            }
            if byte < 0x20 { throw fail("no control characters in a string") }
            if byte >= 0x80 {
                isASCII = false
                try skipUTF8Sequence(input)
                continue
            }
            if byte == UInt8(ascii: "\\") {
                isSimple = false
                lastLoose = index
                try skipEscape(input)
                continue
            }
            index += 1
        }
        throw fail("a closing '\"'")
    }

    /// Moves `index` past the bytes that need no look in a string (none of `"`, `\`, a control character, a
    /// byte ≥ 0x80), eight at a time, to the first byte that does (or to within eight bytes of the end).
    ///
    /// Each test flags the bytes of a word that match; a borrow can also flag bytes above a true match, never
    /// below one, so the lowest flagged byte is the first that matches.
    @inline(__always)
    mutating func skipPlainBytes(_ input: UnsafeBufferPointer<UInt8>) {
        guard let base = input.baseAddress else { return }
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        while index <= input.count &- 8 {
            let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
            let quote = word ^ (ones &* 0x22)
            let backslash = word ^ (ones &* 0x5C)
            let flagged =
                ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                | word
            let found = flagged & highs
            if found != 0 {
                index &+= found.trailingZeroBitCount >> 3
                return
            }
            index &+= 8
        }
    }

    /// Checks the escape at `index` and moves past it.
    mutating func skipEscape(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) {
        index += 1
        guard index < input.count else { throw fail("an escape sequence") }
        let escaped = input[index]
        index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            return
        case UInt8(ascii: "u"):
            let code = try hex4(input)
            if (0xD800...0xDBFF).contains(code) {
                guard index + 1 < input.count, input[index] == UInt8(ascii: "\\"), input[index + 1] == UInt8(ascii: "u")
                else { throw fail("a low surrogate") }
                index += 2
                let low = try hex4(input)
                guard (0xDC00...0xDFFF).contains(low) else { throw fail("a low surrogate") }
                return
            }
            guard Unicode.Scalar(code) != nil else { throw fail("a valid unicode escape") }
        default:
            throw fail("a valid escape character")
        }
    }

    mutating func hex4(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) -> UInt32 {
        guard index + 4 <= input.count else { throw fail("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = JSONSpanMap.hexValue(input[index]) else { throw fail("four hex digits") }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// Checks the UTF-8 sequence starting at `index` (a byte ≥ 0x80) and moves past it: no overlong forms, no
    /// surrogates, nothing above U+10FFFF (Unicode table 3-7).
    mutating func skipUTF8Sequence(_ input: UnsafeBufferPointer<UInt8>) throws(JSONSpanError) {
        let lead = input[index]
        let length: Int
        var lower: UInt8 = 0x80
        var upper: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1...0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: throw fail("valid UTF-8")
        }
        guard index + length <= input.count else { throw fail("valid UTF-8") }
        let second = input[index + 1]
        guard second >= lower, second <= upper else { throw fail("valid UTF-8") }
        var offset = 2
        while offset < length {
            guard input[index + offset] & 0xC0 == 0x80 else { throw fail("valid UTF-8") }
            offset += 1
        }
        index += length
    }

    static func next(_ entries: EntryBuffer, after value: Int) -> Int {
        let entry = entries[value]
        return entry.kind == .array || entry.kind == .object ? entry.first : value + 1
    }

    /// The bit of a simple key in ``scanObject``'s filter: from its length and its first and last bytes.
    @inline(__always)
    static func keyBit(_ input: UnsafeBufferPointer<UInt8>, _ entry: Entry) -> UInt64 {
        let count = entry.second
        guard count > 0 else { return 1 }
        let mixed = count &* 31 &+ Int(input[entry.first]) &* 7 &+ Int(input[entry.first + count - 1])
        return 1 << UInt64(mixed & 63)
    }

    static func sameKey(_ input: UnsafeBufferPointer<UInt8>, _ lhs: Entry, _ rhs: Entry) -> Bool {
        if lhs.flags & rhs.flags & JSONSpanMap.simpleFlag != 0 {
            guard lhs.second == rhs.second else { return false }
            return memcmpEqual(input, lhs.first, rhs.first, lhs.second)
        }
        return unescaped(input, lhs) == unescaped(input, rhs)
    }

    @inline(__always)
    static func memcmpEqual(_ input: UnsafeBufferPointer<UInt8>, _ a: Int, _ b: Int, _ count: Int) -> Bool {
        var offset = 0
        while offset < count {
            if input[a + offset] != input[b + offset] { return false }
            offset += 1
        }
        return true
    }

    static func unescaped(_ input: UnsafeBufferPointer<UInt8>, _ entry: Entry) -> [UInt8] {
        let bytes = Array(input[entry.first..<(entry.first + entry.second)])
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] != UInt8(ascii: "\\") {
                out.append(bytes[index])
                index += 1
                continue
            }
            let (scalar, length) = JSONSpanMap.unescape(bytes, at: index)
            JSONSpanWriter.appendUTF8(scalar, into: &out)
            index += length
        }
        return out
    }
}
