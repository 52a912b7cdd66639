/// One documented column of a table: its name, its JSON type and the API field it comes from.
public struct ColumnDefinition: Sendable, Hashable {
    /// The JSON type a column's value has when it is not `null`.
    public enum ValueType: String, Sendable, Hashable {
        case string
        case integer
        /// A decimal number (e.g. cost amounts in cents with fractions).
        case number
        /// An RFC 3339 timestamp string.
        case timestamp
        /// `true` or `false`.
        case boolean
        /// A JSON array, as the API returned it.
        case array
    }

    /// The column's name in events.
    public let name: String
    /// The type of its non-null values.
    public let type: ValueType
    /// Where the value comes from.
    public let source: ColumnSource
    /// When `true`, a row without this value is malformed (keys and identities); otherwise it is `null`.
    public let isRequired: Bool

    /// `true` when the Admin API has no value for this column today, so it is always `null`.
    public var isAlwaysNull: Bool { source == .unavailable }

    init(_ name: String, _ type: ValueType, _ source: ColumnSource, required: Bool = false) {
        self.name = name
        self.type = type
        self.source = source
        self.isRequired = required
    }
}

/// Where a column's value comes from in the Admin API's JSON.
public enum ColumnSource: Sendable, Hashable, CustomStringConvertible {
    /// The value at a path of object keys, as is.
    case field([String])
    /// A date or timestamp at a path, normalised to midnight UTC, `YYYY-MM-DDT00:00:00Z`.
    case day([String])
    /// A decimal string at a path (cents), emitted as a JSON number with every digit kept.
    case decimalString([String])
    /// `actor.email_address` for a `user_actor`, `actor.api_key_name` for an `api_actor`.
    case actorIdentity
    /// `tool_actions.<tool>.<outcome>`, `0` when the tool is absent.
    case toolAction(tool: String, outcome: String)
    /// The sum of a numeric path over the elements of an array field.
    case sum(array: String, path: [String])
    /// Like ``sum(array:path:)``, counting only elements whose `filterPath` equals `equals`.
    case sumWhere(array: String, path: [String], filterPath: [String], equals: String)
    /// The strings at `path` of each element of an array field, comma-joined in order; `null` when empty.
    case joined(array: String, path: [String])
    /// The enclosing time bucket's `starting_at` (report tables).
    case bucketStart
    /// The id at `idPath` when the string at `typePath` equals `type`, else `null`.
    case idWhen(typePath: [String], equals: String, idPath: [String])
    /// The value at the first of `paths` that holds a non-null value, else `null` (a field that replaced a
    /// deprecated one, with the deprecated one as fallback).
    case firstPresent([[String]])
    /// A fixed value for every row.
    case constant(JSONValue)
    /// The Admin API does not provide this column today: always `null`.
    case unavailable

    /// The API path a person reads in `streamer tables`.
    public var description: String {
        switch self {
        case .field(let path), .day(let path), .decimalString(let path): path.joined(separator: ".")
        case .actorIdentity: "actor.email_address | actor.api_key_name"
        case .toolAction(let tool, let outcome): "tool_actions.\(tool).\(outcome)"
        case .sum(let array, let path): "sum(\(array)[].\(path.joined(separator: ".")))"
        case .sumWhere(let array, let path, let filter, let value):
            "sum(\(array)[].\(path.joined(separator: ".")) where \(filter.joined(separator: "."))=\(value))"
        case .joined(let array, let path): "join(\(array)[].\(path.joined(separator: ".")))"
        case .bucketStart: "data[].starting_at"
        case .idWhen(let typePath, let type, let idPath):
            "\(idPath.joined(separator: ".")) when \(typePath.joined(separator: "."))=\(type)"
        case .firstPresent(let paths): paths.map { $0.joined(separator: ".") }.joined(separator: " | ")
        case .constant(let value): "constant \(JSONWriter.string(value))"
        case .unavailable: "— (not provided by the Admin API: always null)"
        }
    }
}
