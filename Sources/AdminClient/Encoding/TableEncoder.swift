import JSONSpans

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Decimal
#else
import struct Foundation.Decimal
#endif

/// Writes a table's events straight from a scanned response: built once from the table's definition, it copies
/// each column's bytes from the response (escaping only strings that had escapes), computes the few derived
/// columns (sums, joins, days), and appends the extra fields sorted by name — the same bytes, key and value,
/// as ``TableDefinition/makeRow(from:bucket:)`` followed by `JSONWriter`, with no value tree in between.
///
/// Driven only by the definition's columns and their ``ColumnSource``s: a column added to a definition with an
/// existing source kind needs no change here.
public struct TableEncoder: Sendable {
    /// The table's definition.
    public let definition: TableDefinition
    let plans: [ColumnPlan]
    /// The constant text a row is written with, one after another: each column's `,"name":` and each key
    /// column's `{"name":` or `,"name":` (``ColumnPlan/prefix``, ``keyPlan``).
    let prefixes: [UInt8]
    /// Each plan's ``ColumnPlan/bytes``.
    let constants: [[UInt8]]
    /// Each plan's ``ColumnPlan/alternatives``.
    let alternatives: [[Int]]
    /// Every item path the plans read, resolved once per row.
    let trie: PathTrie
    /// Every path the plans read inside the elements of a summed or joined array, resolved once per element.
    let elementTrie: PathTrie
    /// For each key column: its column index and where `{"name":` or `,"name":` lies in ``prefixes``.
    let keyPlan: [(column: Int, prefix: Range<Int>)]
    let consumed: KeySet
    let columnNames: KeySet
    let toolColumns: KeySet
    let isTimeTable: Bool

    static let workspaceIDKey = Array("workspace_id".utf8)
    static let toolActionsKey = Array("tool_actions".utf8)
    static let startingAtKey = Array("starting_at".utf8)
    static let endingAtKey = Array("ending_at".utf8)
    static let bucketEndName = Array("bucket_end".utf8)
    static let acceptedKey = Array("accepted".utf8)
    static let rejectedKey = Array("rejected".utf8)
    static let userActor = Array("user_actor".utf8)
    static let apiActor = Array("api_actor".utf8)

    /// An encoder for `definition`'s rows.
    ///
    /// - Parameter definition: the table's definition.
    public init(definition: TableDefinition) {
        self.definition = definition
        var trie = PathTrie()
        var elementTrie = PathTrie()
        var prefixes: [UInt8] = []
        var constants: [[UInt8]] = []
        var alternatives: [[Int]] = []
        plans = definition.columns.enumerated().map {
            ColumnPlan(
                $1, index: $0, trie: &trie, elements: &elementTrie, prefixes: &prefixes, constants: &constants,
                alternatives: &alternatives)
        }
        self.trie = trie
        self.elementTrie = elementTrie
        var keyPlan: [(column: Int, prefix: Range<Int>)] = []
        for (position, name) in definition.keyColumns.enumerated() {
            guard let index = definition.columns.firstIndex(where: { $0.name == name }) else { continue }
            let start = prefixes.count
            prefixes.append(UInt8(ascii: position == 0 ? "{" : ","))
            JSONWriter.writeString(name, into: &prefixes)
            prefixes.append(UInt8(ascii: ":"))
            keyPlan.append((index, start..<prefixes.count))
        }
        self.keyPlan = keyPlan
        self.prefixes = prefixes
        self.constants = constants
        self.alternatives = alternatives
        consumed = KeySet(definition.consumedFields.map { Array($0.utf8) })
        columnNames = KeySet(definition.columns.map { Array($0.name.utf8) })
        toolColumns = KeySet(
            definition.columns.compactMap { column in
                if case .toolAction(let tool, _) = column.source { return Array(tool.utf8) }
                return nil
            })
        isTimeTable = definition.cursorKind != .snapshot
    }

    /// The encoder of `table`.
    public init(table: AdminTable) {
        self.init(definition: table.definition)
    }
}

extension TableDefinition {
    /// The definition's encoder: the one built once per process for the table's own definition, or a new one
    /// for another definition of the table (`usage_report` grouped by more dimensions).
    public var encoder: TableEncoder {
        if let shared = TableEncoder.shared[table], shared.definition.keyColumns == keyColumns,
            shared.definition.columns.elementsEqual(columns, by: { $0.name == $1.name })
        {
            return shared
        }
        return TableEncoder(definition: self)
    }
}

extension TableEncoder {
    static let shared: [AdminTable: TableEncoder] = Dictionary(
        uniqueKeysWithValues: AdminTable.allCases.map { ($0, TableEncoder(definition: $0.definition)) })
}
