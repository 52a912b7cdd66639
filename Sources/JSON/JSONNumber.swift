/// A JSON number, kept as the exact literal text it was written with.
///
/// Integers up to 64 bits and decimals of any precision survive a round trip byte for byte.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    /// The literal, e.g. `"42"`, `"-0.5"`, `"1834.5012"`, `"1e3"`.
    public let literal: String

    /// Wraps a literal that is already a valid JSON number.
    ///
    /// - Parameter literal: text matching JSON's number grammar; ``init(validating:)`` checks it.
    public init(uncheckedLiteral literal: String) {
        self.literal = literal
    }

    /// Wraps `text` when it is a valid JSON number (used for decimal strings such as cost amounts).
    ///
    /// - Parameter text: candidate literal.
    public init?(validating text: String) {
        var parser = JSONParser(bytes: Array(text.utf8))
        guard case .number(let n)? = try? parser.parseDocument() else { return nil }
        self = n
    }

    /// An integer number.
    public init(_ value: Int) {
        self.literal = String(value)
    }

    /// The value as `Int` when the literal is an integer that fits.
    public var intValue: Int? { Int(literal) }

    /// `intValue != nil`, without parsing the common case: at most 18 digits after an optional `-` always fit.
    var isInteger: Bool {
        var utf8 = literal.utf8[...]
        if utf8.first == UInt8(ascii: "-") { utf8 = utf8.dropFirst() }
        if !utf8.isEmpty, utf8.count <= 18, utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            return true
        }
        return intValue != nil
    }

    /// The value as `Double` (may round; for display and sums of floats only).
    public var doubleValue: Double? { Double(literal) }

    public var description: String { literal }
}
