/// One row of a table, flattened as the event contract says: every documented column first (in documented
/// order, `null` when the API has no value), then every other field the API sent, flattened with `_`,
/// sorted by name.
public struct AdminRow: Sendable, Hashable {
    /// The table the row belongs to.
    public let table: AdminTable
    /// The flat row.
    public let fields: JSONObject
    /// The key columns of the definition the row was made with (`usage_report`'s depend on its grouping).
    public let keyColumns: [String]

    /// The documented primary key: the key columns, in order, `null` where the API left a value out.
    public var key: JSONObject {
        JSONObject(keyColumns.map { ($0, fields[$0] ?? .null) })
    }

    /// The value of one column or extra field.
    public subscript(name: String) -> JSONValue? { fields[name] }

    /// Wraps an already flat row (tests and the sandbox use this; clients get rows from ``TableDefinition/makeRow(from:bucket:)``).
    public init(table: AdminTable, fields: JSONObject) {
        self.init(table: table, fields: fields, keyColumns: table.definition.keyColumns)
    }

    /// Wraps a flat row whose key columns are `keyColumns` (a definition other than the table's default).
    public init(table: AdminTable, fields: JSONObject, keyColumns: [String]) {
        self.table = table
        self.fields = fields
        self.keyColumns = keyColumns
    }
}
