/// Writes ``JSONValue``s as compact UTF-8 JSON (no spaces, keys in their stored order).
public enum JSONWriter {
    /// The compact encoding of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(estimatedSize(value))
        write(value, into: &out)
        return out
    }

    /// A guess of the encoded size that is rarely short: one buffer growth at most for typical rows.
    private static func estimatedSize(_ value: JSONValue) -> Int {
        guard case .object(let object) = value else { return 64 }
        var size = 2
        for member in object.members {
            size += member.key.utf8.count + 4
            switch member.value {
            case .string(let string): size += string.utf8.count + 2
            case .number(let number): size += number.literal.utf8.count
            case .null, .bool: size += 5
            case .array, .object: size += 64
            }
        }
        return size
    }

    /// The compact encoding of `value` as a `String`.
    public static func string(_ value: JSONValue) -> String {
        String(decoding: encode(value), as: UTF8.self)
    }

    /// Appends the compact encoding of `value` to `out`.
    public static func write(_ value: JSONValue, into out: inout [UInt8]) {
        switch value {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(true): out.append(contentsOf: "true".utf8)
        case .bool(false): out.append(contentsOf: "false".utf8)
        case .number(let number): out.append(contentsOf: number.literal.utf8)
        case .string(let string): writeString(string, into: &out)
        case .array(let array):
            out.append(UInt8(ascii: "["))
            for (offset, element) in array.enumerated() {
                if offset > 0 { out.append(UInt8(ascii: ",")) }
                write(element, into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            var first = true
            for member in object.members {
                if !first { out.append(UInt8(ascii: ",")) }
                first = false
                writeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                write(member.value, into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `string` as a JSON string literal, escaping quotes, backslashes and control characters (as
    /// ``JSONSpanWriter`` does: one escaping rule for every byte the product writes).
    public static func writeString(_ string: String, into out: inout [UInt8]) {
        JSONSpanWriter.appendString(string, into: &out)
    }
}
