/// A `group_by[]` dimension of `usage_report` beyond the seed's four (`api_key_id`, `workspace_id`, `model`,
/// `service_tier`, always grouped). Each chosen one becomes a column and a key field after `service_tier`, in
/// the order of ``allCases``, whatever order they were chosen in.
public enum UsageDimension: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `0-200k` or `200k-1M`.
    case contextWindow = "context_window"
    /// `global`, `us`, or null when the region is not set.
    case inferenceGeo = "inference_geo"
    /// The user (account) behind the usage.
    case accountID = "account_id"
    /// The service account behind the usage.
    case serviceAccountID = "service_account_id"
    /// `standard` or `fast`; needs the beta header ``speedBeta``.
    case speed

    /// The `anthropic-beta` value the API requires to group by ``speed``.
    public static let speedBeta = "fast-mode-2026-02-01"

    /// The `anthropic-beta` value grouping by this dimension needs, if any.
    public var betaHeader: String? { self == .speed ? Self.speedBeta : nil }

    public static func < (lhs: UsageDimension, rhs: UsageDimension) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses a comma-separated list (`context_window,speed`).
    ///
    /// - Parameter text: dimension names, comma-separated; blanks around names are ignored; empty means none.
    /// - Returns: the dimensions in canonical order, or why the list is refused (an unknown or repeated name).
    public static func parseList(_ text: String) -> Result<[UsageDimension], UsageDimensionListError> {
        var chosen: [UsageDimension] = []
        for part in text.split(separator: ",") {
            let name = String(part.filter { $0 != " " })
            guard let dimension = UsageDimension(rawValue: name) else { return .failure(.unknown(name)) }
            guard !chosen.contains(dimension) else { return .failure(.repeated(name)) }
            chosen.append(dimension)
        }
        return .success(chosen.sorted())
    }
}

/// Why a list of usage dimensions was refused.
public enum UsageDimensionListError: Error, Sendable, Hashable, CustomStringConvertible {
    case unknown(String)
    case repeated(String)

    public var description: String {
        let known = UsageDimension.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case .unknown(let name): return "unknown usage_report dimension '\(name)' (known: \(known))"
        case .repeated(let name): return "usage_report dimension '\(name)' is listed twice"
        }
    }
}
