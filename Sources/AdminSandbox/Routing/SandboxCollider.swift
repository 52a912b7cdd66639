import AdminClient

/// Adds a row that collides with an existing one (the `collidingRows` fault): what an API that started
/// splitting rows by a new dimension looks like to a client whose key lacks it.
enum SandboxCollider {
    /// The first row (the first `data[]` item, or the first result of the first non-empty bucket) is served
    /// twice: as is, and right after it with every key field unchanged, a different value and a new field
    /// `sandbox_dimension: "b"` (the dimension the key lacks). A body without rows is returned unchanged.
    static func collide(_ body: JSONObject, route: SandboxRoute) -> JSONObject {
        var body = body
        guard case .array(var data)? = body["data"] else { return body }
        switch route {
        case .report:
            guard let index = data.firstIndex(where: { $0["results"]?.arrayValue?.isEmpty == false }),
                case .object(var bucket) = data[index], case .array(var results)? = bucket["results"],
                case .object(let result)? = results.first
            else { return body }
            results.insert(.object(twin(of: result)), at: 1)
            bucket["results"] = .array(results)
            data[index] = .object(bucket)
        case .organization:
            return body
        case .list, .claudeCode, .rateLimits:
            guard case .object(let item)? = data.first else { return body }
            data.insert(.object(twin(of: item)), at: 1)
        }
        body["data"] = .array(data)
        return body
    }

    private static func twin(of item: JSONObject) -> JSONObject {
        var twin = item
        twin["sandbox_dimension"] = "b"
        return twin
    }
}
