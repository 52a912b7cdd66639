/// A column's source compiled once for ``TableEncoder``: paths as UTF-8 key bytes, constants as their bytes.
///
/// A class, so the encoder's per-column loop holds one reference instead of copying the column's definition and
/// payload arrays (each copy a handful of retains and releases, for every column of every row).
final class ColumnPlan: Sendable {
    enum Source: Sendable {
        case field([[UInt8]])
        case day([[UInt8]])
        case decimalString([[UInt8]])
        case actorIdentity
        /// `tool_actions.<tool>.<outcome>`, as a path.
        case toolAction(path: [[UInt8]])
        /// `array` is the one-key path of the array field (built once: a literal per row would allocate).
        case sum(array: [[UInt8]], path: [[UInt8]], filterPath: [[UInt8]]?, equals: [UInt8])
        case joined(array: [[UInt8]], path: [[UInt8]])
        case bucketStart
        case idWhen(typePath: [[UInt8]], equals: [UInt8], idPath: [[UInt8]])
        case constant(bytes: [UInt8], kind: EncodedKind)
        /// The first of several paths whose value is present and not null.
        case firstPresent([[[UInt8]]])
        case null
    }

    let column: ColumnDefinition
    /// `"name":`, preceded by `,` for every column but the first.
    let prefix: [UInt8]
    let source: Source
    /// The column's type and whether it is required, for the check of every written value.
    let type: ColumnDefinition.ValueType
    let isRequired: Bool

    init(_ column: ColumnDefinition, isFirst: Bool) {
        self.column = column
        self.type = column.type
        self.isRequired = column.isRequired
        var prefix: [UInt8] = isFirst ? [] : [UInt8(ascii: ",")]
        JSONWriter.writeString(column.name, into: &prefix)
        prefix.append(UInt8(ascii: ":"))
        self.prefix = prefix
        func path(_ keys: [String]) -> [[UInt8]] { keys.map { Array($0.utf8) } }
        switch column.source {
        case .field(let keys): source = .field(path(keys))
        case .day(let keys): source = .day(path(keys))
        case .decimalString(let keys): source = .decimalString(path(keys))
        case .actorIdentity: source = .actorIdentity
        case .toolAction(let tool, let outcome): source = .toolAction(path: path(["tool_actions", tool, outcome]))
        case .sum(let array, let keys):
            source = .sum(array: path([array]), path: path(keys), filterPath: nil, equals: [])
        case .sumWhere(let array, let keys, let filterPath, let equals):
            source = .sum(array: path([array]), path: path(keys), filterPath: path(filterPath), equals: Array(equals.utf8))
        case .joined(let array, let keys): source = .joined(array: path([array]), path: path(keys))
        case .bucketStart: source = .bucketStart
        case .idWhen(let typePath, let type, let idPath):
            source = .idWhen(typePath: path(typePath), equals: Array(type.utf8), idPath: path(idPath))
        case .constant(let value): source = .constant(bytes: JSONWriter.encode(value), kind: EncodedKind(value))
        case .firstPresent(let paths): source = .firstPresent(paths.map(path))
        case .unavailable: source = .null
        }
    }
}

/// The JSON type of a value the encoder wrote, for the column type checks (`JSONValue.typeName`'s names).
enum EncodedKind: Sendable {
    case null, boolean, number, string, array, object

    init(_ value: JSONValue) {
        switch value {
        case .null: self = .null
        case .bool: self = .boolean
        case .number: self = .number
        case .string: self = .string
        case .array: self = .array
        case .object: self = .object
        }
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .boolean: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}
