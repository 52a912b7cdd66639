/// A strict, allocation-light JSON parser (RFC 8259) over UTF-8 bytes.
///
/// It keeps number literals as text and object keys in order. It refuses what consumers disagree on: a key
/// repeated in one object (some take the first value, most the last) and invalid UTF-8 (which would otherwise be
/// replaced silently). On an error it reports the byte offset and the JSON path (`$.data[3].actor`) where
/// reading stopped.
public struct JSONParser {
    /// Why a document could not be read.
    public struct SyntaxError: Error, Sendable, Equatable {
        /// Path of the value being read when the error happened, e.g. `$.data[2].tokens`.
        public var path: String
        /// Byte offset into the document.
        public var offset: Int
        /// What was expected there.
        public var expected: String
    }

    private let bytes: [UInt8]
    private var index: Int
    private var depth = 0
    // Members and elements being read, for every open object and array: each container is built once, at its
    // exact size, when it closes, instead of growing (and reallocating) member by member.
    private var memberStack: [(key: String, value: JSONValue)] = []
    private var elementStack: [JSONValue] = []
    private static let maximumDepth = 512

    /// A parser over a whole document.
    ///
    /// - Parameter bytes: the UTF-8 bytes.
    public init(bytes: [UInt8]) {
        self.bytes = bytes
        self.index = 0
    }

    /// Parses `bytes` as one JSON document.
    ///
    /// - Throws: ``SyntaxError`` naming the path and offset.
    public static func parse(_ bytes: [UInt8]) throws(SyntaxError) -> JSONValue {
        var parser = JSONParser(bytes: bytes)
        return try parser.parseDocument()
    }

    /// Parses the whole input as one JSON value with nothing but whitespace after it.
    ///
    /// - Throws: ``SyntaxError``.
    public mutating func parseDocument() throws(SyntaxError) -> JSONValue {
        let value: JSONValue
        do {
            value = try parseValue()
        } catch {
            throw error.prefixed("$")
        }
        skipWhitespace()
        if index != bytes.count { throw fail("end of document").prefixed("$") }
        return value
    }

    private func fail(_ expected: String) -> SyntaxError {
        SyntaxError(path: "", offset: index, expected: expected)
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue() throws(SyntaxError) -> JSONValue {
        skipWhitespace()
        guard index < bytes.count else { throw fail("a value") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return .object(try parseObject())
        case UInt8(ascii: "["): return .array(try parseArray())
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expectLiteral("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectLiteral("false"); return .bool(false)
        case UInt8(ascii: "n"): try expectLiteral("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number(try parseNumber())
        default: throw fail("a value")
        }
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(SyntaxError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail("'\(literal)'") }
        let matches = literal.withUTF8Buffer { buffer in
            for offset in 0..<count where bytes[index + offset] != buffer[offset] { return false }
            return true
        }
        guard matches else { throw fail("'\(literal)'") }
        index += count
    }

    private mutating func enter() throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw fail("nesting no deeper than \(Self.maximumDepth)") }
    }

    private mutating func parseObject() throws(SyntaxError) -> JSONObject {
        try enter()
        defer { depth -= 1 }
        index += 1  // {
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return JSONObject()
        }
        let base = memberStack.count
        defer { memberStack.removeSubrange(base...) }
        // Small objects (the Admin API's) are checked for a repeated key by a scan; large ones through a set.
        var keys: Set<String>? = nil
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw fail("an object key") }
            let keyOffset = index
            let key = try parseString()
            if keys == nil, memberStack.count - base >= 16 { keys = Set(memberStack[base...].map(\.key)) }
            let isDuplicate =
                keys == nil ? memberStack[base...].contains { $0.key == key } : keys?.insert(key).inserted == false
            if isDuplicate {
                throw SyntaxError(
                    path: "." + key, offset: keyOffset,
                    expected: "a key not already in this object (\"\(key)\" appears twice)")
            }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw fail("':'") }
            index += 1
            let value: JSONValue
            do {
                value = try parseValue()
            } catch {
                throw error.prefixed("." + key)
            }
            memberStack.append((key, value))
            skipWhitespace()
            guard index < bytes.count else { throw fail("',' or '}'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "}") {
                index += 1
                return JSONObject(uncheckedMembers: Array(memberStack[base...]))
            }
            throw fail("',' or '}'")
        }
    }

    private mutating func parseArray() throws(SyntaxError) -> [JSONValue] {
        try enter()
        defer { depth -= 1 }
        index += 1  // [
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
            index += 1
            return []
        }
        let base = elementStack.count
        defer { elementStack.removeSubrange(base...) }
        while true {
            do {
                let element = try parseValue()
                elementStack.append(element)
            } catch {
                throw error.prefixed("[\(elementStack.count - base)]")
            }
            skipWhitespace()
            guard index < bytes.count else { throw fail("',' or ']'") }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "]") {
                index += 1
                return Array(elementStack[base...])
            }
            throw fail("',' or ']'")
        }
    }

    private mutating func parseNumber() throws(SyntaxError) -> JSONNumber {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { throw fail("a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(bytes[index]) {
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        } else {
            throw fail("a digit")
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a digit after '.'") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < bytes.count, isDigit(bytes[index]) else { throw fail("a digit in the exponent") }
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
        }
        return JSONNumber(uncheckedLiteral: String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }

    private mutating func parseString() throws(SyntaxError) -> String {
        index += 1  // opening quote
        let start = index
        var isASCII = true
        // Fast path: no escapes.
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                if !isASCII { try validateUTF8(start..<index) }
                let string = String(decoding: bytes[start..<index], as: UTF8.self)
                index += 1
                return string
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw fail("no control characters in a string") }
            if byte >= 0x80 { isASCII = false }
            index += 1
        }
        if !isASCII { try validateUTF8(start..<index) }
        var scalars = Array(bytes[start..<index])
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return String(decoding: scalars, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail("an escape sequence") }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""): scalars.append(0x22)
                case UInt8(ascii: "\\"): scalars.append(0x5C)
                case UInt8(ascii: "/"): scalars.append(0x2F)
                case UInt8(ascii: "b"): scalars.append(0x08)
                case UInt8(ascii: "f"): scalars.append(0x0C)
                case UInt8(ascii: "n"): scalars.append(0x0A)
                case UInt8(ascii: "r"): scalars.append(0x0D)
                case UInt8(ascii: "t"): scalars.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800...0xDBFF).contains(code) {
                        guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                            bytes[index + 1] == UInt8(ascii: "u")
                        else { throw fail("a low surrogate") }
                        index += 2
                        let low = try parseHex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("a low surrogate") }
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let scalar = Unicode.Scalar(code) else { throw fail("a valid unicode escape") }
                    scalars.append(contentsOf: Array(String(Character(scalar)).utf8))
                default:
                    throw fail("a valid escape character")
                }
            default:
                if byte < 0x20 { throw fail("no control characters in a string") }
                if byte >= 0x80 {
                    // A whole multi-byte sequence at once, checked.
                    let runStart = index
                    while index < bytes.count, bytes[index] >= 0x80 { index += 1 }
                    try validateUTF8(runStart..<index)
                    scalars.append(contentsOf: bytes[runStart..<index])
                    continue
                }
                scalars.append(byte)
                index += 1
            }
        }
        throw fail("a closing '\"'")
    }

    /// Throws at the first byte of `range` that is not valid UTF-8.
    private func validateUTF8(_ range: Range<Int>) throws(SyntaxError) {
        if let bad = UTF8Validator.firstInvalidByte(in: bytes, range) {
            throw SyntaxError(path: "", offset: bad, expected: "valid UTF-8 in a string")
        }
    }

    private mutating func parseHex4() throws(SyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail("four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw fail("four hex digits")
            }
            value = value << 4 | digit
            index += 1
        }
        return value
    }
}

extension JSONParser.SyntaxError {
    fileprivate func prefixed(_ component: String) -> Self {
        var copy = self
        copy.path = component + copy.path
        return copy
    }
}
