import AdminClient

extension JSONObject {
    /// An object of members whose keys the caller knows are distinct (no duplicate checks).
    init(distinct members: KeyValuePairs<String, JSONValue>) {
        self.init()
        for (key, value) in members { appendUnchecked(key, value) }
    }
}

extension JSONValue {
    /// A string, or `null` for `nil`.
    static func stringOrNull(_ value: String?) -> JSONValue {
        value.map { .string($0) } ?? .null
    }

    /// An integer number.
    static func int(_ value: Int) -> JSONValue {
        .number(JSONNumber(value))
    }
}
