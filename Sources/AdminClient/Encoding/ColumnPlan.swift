/// A column's source compiled once for ``TableEncoder``: paths as ``PathTrie`` nodes, bytes and lists as
/// positions in the encoder's tables.
///
/// Plain numbers only, so the encoder's per-column loop reads a plan with no retain or release (a plan holding
/// its own arrays, or a class, costs an atomic retain and release of each, for every column of every row).
struct ColumnPlan: Sendable {
    /// Paths are ``PathTrie`` node numbers: item paths in the encoder's item trie, paths inside the elements of a
    /// summed or joined array in its element trie.
    enum Source: Sendable {
        case field(Int)
        case day(Int)
        case decimalString(Int)
        case actorIdentity(type: Int, email: Int, keyName: Int)
        /// `tool_actions.<tool>.<outcome>`.
        case toolAction(Int)
        /// Elements whose `filter` string equals ``bytes`` (when there is a filter).
        case sum(array: Int, path: Int, filter: Int?)
        case joined(array: Int, path: Int)
        case bucketStart
        /// The `id` node's value when the `type` node's string equals ``bytes``.
        case idWhen(type: Int, id: Int)
        /// ``bytes``.
        case constant(EncodedKind)
        /// The first of ``alternatives`` whose value is present and not null.
        case firstPresent
        case null
    }

    /// The column's position in the definition (its name and source, for error messages).
    let column: Int
    /// Where `"name":` (preceded by `,` for every column but the first) lies in ``TableEncoder/prefixes``.
    let prefix: Range<Int>
    let source: Source
    /// A `sum`'s or `idWhen`'s expected string, or a constant's JSON: its index in ``TableEncoder/constants``.
    let bytes: Int
    /// A `firstPresent`'s nodes, in order: their index in ``TableEncoder/alternatives``.
    let alternatives: Int
    /// The column's type and whether it is required, for the check of every written value.
    let type: ColumnDefinition.ValueType
    let isRequired: Bool

    /// The plan of column `index` of a definition, its item paths added to `trie`, its array elements' paths
    /// to `elements`, its name to `prefixes`, its bytes to `constants`, its alternatives to `alternatives`.
    init(
        _ column: ColumnDefinition, index: Int, trie: inout PathTrie, elements: inout PathTrie,
        prefixes: inout [UInt8], constants: inout [[UInt8]], alternatives: inout [[Int]]
    ) {
        self.column = index
        self.type = column.type
        self.isRequired = column.isRequired
        let prefixStart = prefixes.count
        if index != 0 { prefixes.append(UInt8(ascii: ",")) }
        JSONWriter.writeString(column.name, into: &prefixes)
        prefixes.append(UInt8(ascii: ":"))
        self.prefix = prefixStart..<prefixes.count
        var bytes: [UInt8] = []
        var nodes: [Int] = []
        switch column.source {
        case .field(let keys): source = .field(trie.insert(keys))
        case .day(let keys): source = .day(trie.insert(keys))
        case .decimalString(let keys): source = .decimalString(trie.insert(keys))
        case .actorIdentity:
            source = .actorIdentity(
                type: trie.insert(["actor", "type"]), email: trie.insert(["actor", "email_address"]),
                keyName: trie.insert(["actor", "api_key_name"]))
        case .toolAction(let tool, let outcome): source = .toolAction(trie.insert(["tool_actions", tool, outcome]))
        case .sum(let array, let keys):
            source = .sum(array: trie.insert([array]), path: elements.insert(keys), filter: nil)
        case .sumWhere(let array, let keys, let filterPath, let equals):
            source = .sum(array: trie.insert([array]), path: elements.insert(keys), filter: elements.insert(filterPath))
            bytes = Array(equals.utf8)
        case .joined(let array, let keys): source = .joined(array: trie.insert([array]), path: elements.insert(keys))
        case .bucketStart: source = .bucketStart
        case .idWhen(let typePath, let type, let idPath):
            source = .idWhen(type: trie.insert(typePath), id: trie.insert(idPath))
            bytes = Array(type.utf8)
        case .constant(let value):
            source = .constant(EncodedKind(value))
            bytes = JSONWriter.encode(value)
        case .firstPresent(let paths):
            source = .firstPresent
            nodes = paths.map { trie.insert($0) }
        case .unavailable: source = .null
        }
        self.bytes = constants.count
        constants.append(bytes)
        self.alternatives = alternatives.count
        alternatives.append(nodes)
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
