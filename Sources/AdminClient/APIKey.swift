/// An Anthropic Admin API key (`sk-ant-admin…`). It never prints: `description`, `debugDescription`,
/// `dump` and string interpolation all show `<redacted>`.
public struct APIKey: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    /// The prefix every Admin API key starts with.
    public static let adminPrefix = "sk-ant-admin"

    private let secret: String

    /// Wraps an Admin API key after checking its prefix, before any request is made.
    ///
    /// - Parameter secret: the key's text (surrounding whitespace is trimmed).
    /// - Throws: ``AdminClientError/Code/invalidKey`` when it does not start with `sk-ant-admin`.
    public init(_ secret: String) throws(AdminClientError) {
        let trimmed = secret.trimmingWhitespace()
        guard trimmed.hasPrefix(Self.adminPrefix) else {
            throw AdminClientError(
                code: .invalidKey,
                reason: "this is not an Admin API key (it must start with \(Self.adminPrefix)); "
                    + "create one in the Claude Console under Settings → Admin keys")
        }
        self.secret = trimmed
    }

    /// Calls `body` with the key's text, for the one place that must send it (the `x-api-key` header).
    public func withSecret<Result>(_ body: (String) throws -> Result) rethrows -> Result {
        try body(secret)
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "APIKey(<redacted>)" }
    public var customMirror: Mirror { Mirror(self, children: ["secret": "<redacted>"]) }
}

extension String {
    func trimmingWhitespace() -> String {
        var scalars = Substring(self)
        while let first = scalars.first, first.isWhitespace { scalars = scalars.dropFirst() }
        while let last = scalars.last, last.isWhitespace { scalars = scalars.dropLast() }
        return String(scalars)
    }
}
