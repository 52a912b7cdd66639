import AdminClient

/// JSON Schemas (draft 2020-12) of each table topic's keys and values, derived from the table definitions.
/// The files in `schemas/` are these, written by `streamer schemas`; a test keeps them in sync.
public enum EventSchema {
    /// The schema of a table's event keys: exactly the key columns, in order, each nullable.
    public static func key(for table: AdminTable) -> JSONValue {
        let definition = table.definition
        var properties = JSONObject()
        for name in definition.keyColumns {
            if let column = definition.column(named: name) {
                properties[name] = schema(for: column, nullable: !column.isRequired)
            }
        }
        return .object(
            JSONObject([
                ("$schema", "https://json-schema.org/draft/2020-12/schema"),
                ("$id", .string("urn:anthropic-admin-streamer:schema:v\(definition.schemaVersion):\(table.name).key")),
                ("title", .string("\(table.name) key")),
                ("description", .string("Primary key of \(table.name) events: the documented key columns, in order.")),
                ("type", "object"),
                ("properties", .object(properties)),
                ("required", .array(definition.keyColumns.map(JSONValue.string))),
                ("additionalProperties", false),
            ]))
    }

    /// The schema of a table's event values: every documented column present (null allowed), extra fields
    /// the API sent allowed.
    public static func value(for table: AdminTable) -> JSONValue {
        let definition = table.definition
        var properties = JSONObject()
        for column in definition.columns {
            var property = schema(for: column, nullable: !column.isRequired)
            if case .object(var object) = property {
                object["description"] = .string("← \(column.source)")
                property = .object(object)
            }
            properties[column.name] = property
        }
        return .object(
            JSONObject([
                ("$schema", "https://json-schema.org/draft/2020-12/schema"),
                ("$id", .string("urn:anthropic-admin-streamer:schema:v\(definition.schemaVersion):\(table.name).value")),
                ("title", .string("\(table.name) value")),
                (
                    "description",
                    .string(
                        "One \(table.name) row: every documented column (null when the API has none), then every other field the API returned, flattened with _. A tombstone (deleted row) is a null value."
                    )
                ),
                ("type", "object"),
                ("properties", .object(properties)),
                ("required", .array(definition.columns.map { .string($0.name) })),
                ("additionalProperties", true),
            ]))
    }

    private static func schema(for column: ColumnDefinition, nullable: Bool) -> JSONValue {
        // A column the API does not provide today is still typed: `["<type>", "null"]`, so a consumer's schema
        // stays valid the day the API starts sending it.
        let (base, format): (String, String?) =
            switch column.type {
            case .string: ("string", nil)
            case .integer: ("integer", nil)
            case .number: ("number", nil)
            case .timestamp: ("string", "date-time")
            case .boolean: ("boolean", nil)
            case .array: ("array", nil)
            }
        var object = JSONObject([("type", nullable ? .array([.string(base), "null"]) : .string(base))])
        if let format { object["format"] = .string(format) }
        return .object(object)
    }

    /// Pretty-printed JSON (two-space indent) for the files in `schemas/`.
    public static func pretty(_ value: JSONValue, indent: String = "") -> String {
        let inner = indent + "  "
        switch value {
        case .object(let object) where object.count > 0:
            let members = object.members.map { "\(inner)\(JSONWriter.string(.string($0.key))): \(pretty($0.value, indent: inner))" }
            return "{\n" + members.joined(separator: ",\n") + "\n\(indent)}"
        case .array(let array) where array.contains(where: { if case .object = $0 { true } else { false } }):
            return "[\n" + array.map { inner + pretty($0, indent: inner) }.joined(separator: ",\n") + "\n\(indent)]"
        default:
            return JSONWriter.string(value)
        }
    }
}
