import AdminClient

/// A JSON Schema validator for the subset the event schemas use: `type` (a name or a list), `required`,
/// `properties`, `additionalProperties` (boolean) and `format: date-time`.
enum SchemaValidator {
    /// The violations of `schema` by `value`, as `path: problem` strings; empty when valid.
    static func violations(of value: JSONValue, against schema: JSONValue, path: String = "$") -> [String] {
        var problems: [String] = []
        if let type = schema["type"] {
            let allowed = type.arrayValue?.compactMap(\.stringValue) ?? [type.stringValue].compactMap { $0 }
            if !allowed.contains(where: { matches(value, type: $0) }) {
                problems.append("\(path): \(value.typeName) is not \(allowed.joined(separator: " or "))")
            }
        }
        if schema["format"]?.stringValue == "date-time", let text = value.stringValue,
            CalendarDay(prefixOf: text) == nil || !text.contains("T")
        {
            problems.append("\(path): '\(text)' is not a date-time")
        }
        if case .object(let object) = value {
            for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
                problems.append("\(path): missing required '\(name)'")
            }
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            for member in object {
                if let property = properties[member.key] {
                    problems += violations(of: member.value, against: property, path: "\(path).\(member.key)")
                } else if schema["additionalProperties"] == .bool(false) {
                    problems.append("\(path): unexpected property '\(member.key)'")
                }
            }
        }
        return problems
    }

    private static func matches(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("null", .null), ("boolean", .bool), ("string", .string), ("array", .array), ("object", .object),
            ("number", .number):
            true
        case ("integer", .number(let number)): number.intValue != nil
        default: false
        }
    }
}
