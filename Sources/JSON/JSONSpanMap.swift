/// A JSON document scanned once into a flat list of values, as swift-foundation's `JSONMap`: nothing becomes a
/// Swift `String`, number, array or dictionary until a caller asks for that one value.
///
/// Values are numbered in document order (``root`` is 0). Each records its ``Kind``; strings and numbers the
/// byte range of their text in ``bytes`` (a string's range excludes its quotes, and a string without escapes
/// is *simple*: its bytes are already its compact JSON form); objects and arrays the number of the value after
/// their last descendant, so a value is skipped in one step, and whether their text is already compact (no
/// whitespace, no escapes: see ``compactSpan(_:)``). An object's children are its keys and values, alternating;
/// an array's its elements.
public struct JSONSpanMap: Sendable {
    /// The kind of a value.
    public enum Kind: UInt8, Sendable, Hashable {
        case null
        case `false`
        case `true`
        case number
        case string
        case array
        case object
    }

    // Internal but inlinable: the encoder in another module calls these accessors for every value of every
    // row, so they must inline there (a call per access, with its retains, costs more than the access).
    @usableFromInline
    struct Entry: Sendable {
        @usableFromInline var kind: Kind
        /// Strings: bit 0 = simple (no escapes), bit 1 = ASCII only.
        @usableFromInline var flags: UInt8
        /// Containers whose text has no whitespace and no escape: the byte count of that text, brackets
        /// included (so never 0). 0 for every other value, and for texts longer than `UInt32.max` bytes. (It
        /// fills the padding after `kind` and `flags`.)
        @usableFromInline var compactLength: UInt32
        // Offsets and counts are stored in 32 bits, so an entry is 16 bytes (24 with `Int`s): a third less memory
        // for the encoder to read back from a page's entries. ``JSONSpanScanner/scan(_:)`` refuses documents of
        // more than `UInt32.max` bytes, and no value count or offset in a document exceeds its byte count, so
        // every stored number fits.
        @usableFromInline var storedFirst: UInt32
        @usableFromInline var storedSecond: UInt32

        /// Scalars: the first byte of the text (after the opening quote for strings). Containers: the next
        /// sibling's value number.
        @inlinable var first: Int {
            get { Int(storedFirst) }
            set { storedFirst = UInt32(truncatingIfNeeded: newValue) }
        }
        /// Scalars: the byte count of the text. Containers: the number of children (keys count as children).
        @inlinable var second: Int {
            get { Int(storedSecond) }
            set { storedSecond = UInt32(truncatingIfNeeded: newValue) }
        }

        @usableFromInline
        init(kind: Kind, flags: UInt8, first: Int, second: Int, compactLength: UInt32 = 0) {
            self.kind = kind
            self.flags = flags
            self.compactLength = compactLength
            self.storedFirst = UInt32(truncatingIfNeeded: first)
            self.storedSecond = UInt32(truncatingIfNeeded: second)
        }
    }

    @usableFromInline static let simpleFlag: UInt8 = 1
    @usableFromInline static let asciiFlag: UInt8 = 2

    /// The scanned document.
    public let bytes: [UInt8]
    @usableFromInline var entries: [Entry]

    init(bytes: [UInt8], entries: [Entry]) {
        self.bytes = bytes
        self.entries = entries
    }

    /// The document's top-level value.
    @inlinable public var root: Int { 0 }

    /// The number of values in the document.
    public var valueCount: Int { entries.count }

    /// The kind of value `value`.
    @inlinable
    public func kind(_ value: Int) -> Kind { entries[value].kind }

    /// `true` when the string `value` has no escapes, so its bytes are its compact JSON form.
    @inlinable
    public func isSimple(_ value: Int) -> Bool { entries[value].flags & Self.simpleFlag != 0 }

    /// `true` when the string `value` is ASCII only.
    @inlinable
    public func isASCII(_ value: Int) -> Bool { entries[value].flags & Self.asciiFlag != 0 }

    /// The byte range of a scalar's text: a number's literal, a string's contents without quotes (escapes as
    /// written), a literal's word.
    @inlinable
    public func span(_ value: Int) -> Range<Int> {
        let entry = entries[value]
        return entry.first..<(entry.first + entry.second)
    }

    /// The byte range of the array or object `value`'s text, brackets included, when that text is already its
    /// compact JSON form (no whitespace and no escape anywhere inside it), so copying it writes the same bytes as
    /// ``appendCompact(_:into:)``; `nil` otherwise (also for scalars, and for containers whose first descendant
    /// is an empty container: only a first scalar records where the text begins).
    @inlinable
    public func compactSpan(_ value: Int) -> Range<Int>? {
        let length = Int(entries[value].compactLength)
        guard length != 0 else { return nil }
        // No whitespace inside: each container on the way down to the first scalar adds one byte (its `[` or
        // `{`) before that scalar's text, and a string one more (its quote).
        var node = value
        var depth = 0
        var start: Int
        while true {
            let entry = entries[node]
            switch entry.kind {
            case .array, .object:
                guard entry.first != node + 1 else { return nil }
                depth += 1
                node += 1
                continue
            case .string:
                start = entry.first - 1 - depth
            case .number, .true, .false, .null:
                start = entry.first - depth
            }
            break
        }
        guard start >= 0, length <= bytes.count - start else { return nil }
        return start..<(start + length)
    }

    /// The value after `value` and all of its descendants.
    @inlinable
    public func next(after value: Int) -> Int {
        let entry = entries[value]
        return entry.kind == .array || entry.kind == .object ? entry.first : value + 1
    }

    /// The number of elements of an array, or of members of an object; 0 for scalars.
    @inlinable
    public func count(_ value: Int) -> Int {
        let entry = entries[value]
        switch entry.kind {
        case .array: return entry.second
        case .object: return entry.second / 2
        default: return 0
        }
    }

    /// The value of the member `key` of object `object`; `nil` when `object` is not an object or has no such key.
    ///
    /// - Parameters:
    ///   - object: an object's value number.
    ///   - key: the key's UTF-8 bytes (unescaped).
    @inlinable
    public func member(_ object: Int, _ key: [UInt8]) -> Int? {
        guard entries[object].kind == .object else { return nil }
        let end = entries[object].first
        var index = object + 1
        while index < end {
            if stringEquals(index, key) { return index + 1 }
            index = next(after: index + 1)
        }
        return nil
    }

    /// `true` when the string `value`, unescaped, equals `expected` (UTF-8).
    @inlinable
    public func stringEquals(_ value: Int, _ expected: [UInt8]) -> Bool {
        let entry = entries[value]
        guard entry.kind == .string else { return false }
        if entry.flags & Self.simpleFlag != 0 {
            guard entry.second == expected.count else { return false }
            var offset = 0
            while offset < entry.second {
                if bytes[entry.first + offset] != expected[offset] { return false }
                offset += 1
            }
            return true
        }
        var decoded: [UInt8] = []
        appendUnescaped(value, into: &decoded)
        return decoded == expected
    }

    /// `true` when the strings `lhs` and `rhs`, unescaped, are the same bytes.
    @inlinable
    public func stringsEqual(_ lhs: Int, _ rhs: Int) -> Bool {
        let left = entries[lhs]
        let right = entries[rhs]
        if left.flags & right.flags & Self.simpleFlag != 0 {
            guard left.second == right.second else { return false }
            var offset = 0
            while offset < left.second {
                if bytes[left.first + offset] != bytes[right.first + offset] { return false }
                offset += 1
            }
            return true
        }
        var leftBytes: [UInt8] = []
        var rightBytes: [UInt8] = []
        appendUnescaped(lhs, into: &leftBytes)
        appendUnescaped(rhs, into: &rightBytes)
        return leftBytes == rightBytes
    }

    /// The string `value`, unescaped (allocates: for errors and rare paths).
    public func string(_ value: Int) -> String {
        var decoded: [UInt8] = []
        appendUnescaped(value, into: &decoded)
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of the string `value`, escapes resolved.
    public func appendUnescaped(_ value: Int, into out: inout [UInt8]) {
        let range = span(value)
        if isSimple(value) {
            appendBytes(range, into: &out)
            return
        }
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte != UInt8(ascii: "\\") {
                out.append(byte)
                index += 1
                continue
            }
            let (scalar, length) = JSONSpanMap.unescape(bytes, at: index)
            JSONSpanWriter.appendUTF8(scalar, into: &out)
            index += length
        }
    }

    /// Appends the document's bytes at `range` (checked against the document), through a pointer: a slice of
    /// ``bytes`` would retain and release the document's storage for every value copied.
    @inlinable
    func appendBytes<Sink: JSONByteSink>(_ range: Range<Int>, into out: inout Sink) {
        bytes.withBytes(in: range) { out.append(contentsOf: $0) }
    }

    /// The scalar of the (already validated) escape sequence at `index` and its length in bytes.
    @usableFromInline
    static func unescape(_ bytes: [UInt8], at index: Int) -> (UInt32, Int) {
        switch bytes[index + 1] {
        case UInt8(ascii: "b"): return (0x08, 2)
        case UInt8(ascii: "f"): return (0x0C, 2)
        case UInt8(ascii: "n"): return (0x0A, 2)
        case UInt8(ascii: "r"): return (0x0D, 2)
        case UInt8(ascii: "t"): return (0x09, 2)
        case UInt8(ascii: "u"):
            let high = hex4(bytes, at: index + 2)
            if (0xD800...0xDBFF).contains(high) {
                let low = hex4(bytes, at: index + 8)
                return (0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00), 12)
            }
            return (high, 6)
        default: return (UInt32(bytes[index + 1]), 2)  // " \ /
        }
    }

    @usableFromInline
    static func hex4(_ bytes: [UInt8], at index: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | UInt32(hexValue(bytes[index + offset]) ?? 0) }
        return value
    }

    @inlinable
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
