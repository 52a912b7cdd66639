import AdminClient

/// Pages carry each row's event bytes; the specifications read them back as values to say what they hold.
extension EncodedRow {
    /// The value's fields, parsed.
    var fields: JSONObject {
        guard case .object(let object)? = try? JSONParser.parse(Array(value)) else { return JSONObject() }
        return object
    }

    /// The key's fields, parsed.
    var keyFields: JSONObject {
        guard case .object(let object)? = try? JSONParser.parse(Array(key)) else { return JSONObject() }
        return object
    }

    /// One field of the value.
    subscript(name: String) -> JSONValue? { fields[name] }
}
