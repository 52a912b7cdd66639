import AdminClient

/// Spoils a healthy response body into valid JSON of the wrong shape (the `malformedPage` fault).
enum SandboxMalformer {
    /// Claude Code: the first record's `core_metrics.num_sessions` becomes a string; usage report: the first
    /// result's `output_tokens` becomes a string; organization: `id` becomes a number; otherwise (and when
    /// there is no row to spoil) `data` becomes an object instead of an array.
    static func malform(_ body: JSONObject, route: SandboxRoute) -> JSONObject {
        var body = body
        switch route {
        case .organization:
            body["id"] = 42
            return body
        case .claudeCode:
            if case .array(var records)? = body["data"], case .object(var record)? = records.first,
                case .object(var metrics)? = record["core_metrics"]
            {
                metrics["num_sessions"] = .string("\(metrics["num_sessions"]?.numberValue?.literal ?? "1")")
                record["core_metrics"] = .object(metrics)
                records[0] = .object(record)
                body["data"] = .array(records)
                return body
            }
        case .report(.usage, _):
            if case .array(var buckets)? = body["data"],
                let index = buckets.firstIndex(where: { $0["results"]?.arrayValue?.isEmpty == false }),
                case .object(var bucket) = buckets[index], case .array(var results)? = bucket["results"],
                case .object(var result)? = results.first
            {
                result["output_tokens"] = .string("\(result["output_tokens"]?.numberValue?.literal ?? "0")")
                results[0] = .object(result)
                bucket["results"] = .array(results)
                buckets[index] = .object(bucket)
                body["data"] = .array(buckets)
                return body
            }
        case .list, .report(.cost, _), .rateLimits:
            break
        }
        let first = body["data"]?.arrayValue?.first?.objectValue ?? JSONObject()
        body["data"] = .object(first)
        return body
    }
}
