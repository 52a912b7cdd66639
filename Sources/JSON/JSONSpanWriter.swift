/// Writes compact JSON bytes: string literals escaped (`"`, `\` and control characters only; `\n`, `\r`, `\t`
/// short, the others `\u00xx`), everything else as is. ``JSONWriter`` escapes its strings here too.
public enum JSONSpanWriter {
    @usableFromInline static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `string` as a JSON string literal.
    ///
    /// - Parameters:
    ///   - string: the text.
    ///   - out: the buffer.
    public static func appendString(_ string: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { appendEscaped($0, into: &out) }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends UTF-8 text escaped for the inside of a JSON string literal (no quotes).
    ///
    /// - Parameters:
    ///   - text: the unescaped UTF-8 bytes.
    ///   - out: the buffer.
    public static func appendEscaped<Sink: JSONByteSink>(_ text: UnsafeBufferPointer<UInt8>, into out: inout Sink) {
        var plainStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: text[plainStart..<index]))
            appendEscapedByte(byte, into: &out)
            plainStart = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: text[plainStart..<text.count]))
    }

    /// Appends UTF-8 text escaped for the inside of a JSON string literal (no quotes).
    ///
    /// - Parameters:
    ///   - text: the unescaped UTF-8 bytes.
    ///   - out: the buffer.
    @inlinable
    public static func appendEscaped(_ text: ArraySlice<UInt8>, into out: inout [UInt8]) {
        // Runs of bytes that need no escape are appended in one step each (most names are one run).
        var plainStart = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            let byte = text[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: text[plainStart..<index])
                appendEscapedByte(byte, into: &out)
                plainStart = index + 1
            }
            index += 1
        }
        out.append(contentsOf: text[plainStart..<text.endIndex])
    }

    @inlinable
    static func appendEscapedByte<Sink: JSONByteSink>(_ byte: UInt8, into out: inout Sink) {
        switch byte {
        case UInt8(ascii: "\""): out.append(0x5C); out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C); out.append(0x5C)
        case 0x0A: out.append(0x5C); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(0x5C); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(0x5C); out.append(UInt8(ascii: "t"))
        case 0x00..<0x20:
            out.append(0x5C); out.append(UInt8(ascii: "u")); out.append(0x30); out.append(0x30)
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        default: out.append(byte)
        }
    }

    /// Appends a Unicode scalar value (already known to be valid) as UTF-8.
    @inlinable
    static func appendUTF8<Sink: JSONByteSink>(_ scalar: UInt32, into out: inout Sink) {
        switch scalar {
        case 0..<0x80:
            out.append(UInt8(scalar))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | scalar >> 6))
            out.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | scalar >> 12))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        default:
            out.append(UInt8(0xF0 | scalar >> 18 & 0x07))
            out.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            out.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            out.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}

extension JSONSpanMap {
    /// Appends the string `value` as a compact JSON string literal: a simple string's bytes are copied, a string
    /// with escapes is unescaped and escaped again the writer's way (`\/` → `/`, `\u00e9` → `é`).
    @inlinable
    public func appendString<Sink: JSONByteSink>(_ value: Int, into out: inout Sink) {
        let entry = entries[value]
        // A simple string's literal, quotes included, lies as written just around its contents: one copy.
        if entry.flags & Self.simpleFlag != 0, entry.first >= 1, entry.second < bytes.count - entry.first {
            appendBytes((entry.first - 1)..<(entry.first + entry.second + 1), into: &out)
            return
        }
        out.append(UInt8(ascii: "\""))
        appendStringContents(value, into: &out)
        out.append(UInt8(ascii: "\""))
    }

    /// Like ``appendString(_:into:)`` without the quotes.
    @inlinable
    public func appendStringContents<Sink: JSONByteSink>(_ value: Int, into out: inout Sink) {
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
            let (scalar, length) = Self.unescape(bytes, at: index)
            if scalar < 0x20 || scalar == 0x22 || scalar == 0x5C {
                JSONSpanWriter.appendEscapedByte(UInt8(scalar), into: &out)
            } else {
                JSONSpanWriter.appendUTF8(scalar, into: &out)
            }
            index += length
        }
    }

    /// Appends `value` as compact JSON (no whitespace; keys in document order). A container whose text is
    /// already compact (``compactSpan(_:)``) is copied in one step.
    @inlinable
    public func appendCompact<Sink: JSONByteSink>(_ value: Int, into out: inout Sink) {
        let entry = entries[value]
        if entry.compactLength != 0, let range = compactSpan(value) {
            appendBytes(range, into: &out)
            return
        }
        switch entry.kind {
        case .string:
            appendString(value, into: &out)
        case .number, .null, .true, .false:
            appendBytes(entry.first..<(entry.first + entry.second), into: &out)
        case .array:
            out.append(UInt8(ascii: "["))
            var child = value + 1
            while child < entry.first {
                if child != value + 1 { out.append(UInt8(ascii: ",")) }
                appendCompact(child, into: &out)
                child = next(after: child)
            }
            out.append(UInt8(ascii: "]"))
        case .object:
            out.append(UInt8(ascii: "{"))
            var key = value + 1
            while key < entry.first {
                if key != value + 1 { out.append(UInt8(ascii: ",")) }
                appendString(key, into: &out)
                out.append(UInt8(ascii: ":"))
                appendCompact(key + 1, into: &out)
                key = next(after: key + 1)
            }
            out.append(UInt8(ascii: "}"))
        }
    }
}
