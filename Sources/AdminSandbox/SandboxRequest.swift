/// One request the sandbox received, as recorded for tests. Never holds the `x-api-key` value: only whether
/// it matched the configured key.
public struct SandboxRequest: Sendable, Hashable {
    /// One query item, percent-decoded (`group_by%5B%5D` is recorded as `group_by[]`).
    public struct QueryItem: Sendable, Hashable {
        /// The name.
        public let name: String
        /// The value (empty when the item had no `=`).
        public let value: String

        /// Creates an item.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The HTTP method, e.g. `GET`.
    public let method: String
    /// The percent-decoded path, e.g. `/v1/organizations/users`.
    public let path: String
    /// The query items, in order.
    public let queryItems: [QueryItem]
    /// Selected request headers, lowercased names: `anthropic-version`, `user-agent`, `accept`,
    /// `content-type` and `anthropic-beta` when present.
    public let headers: [String: String]
    /// `true` when `x-api-key` equalled the configured admin key.
    public let isAuthorized: Bool
    /// The status the sandbox answered with.
    public let status: Int
    /// The `request-id` the sandbox answered with.
    public let requestID: String

    /// The values of every query item named `name`, in order.
    public func values(of name: String) -> [String] {
        queryItems.filter { $0.name == name }.map(\.value)
    }

    /// The first value of the query item named `name`.
    public func value(of name: String) -> String? {
        queryItems.first { $0.name == name }?.value
    }
}
