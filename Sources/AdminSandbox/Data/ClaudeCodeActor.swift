/// Someone who used Claude Code: an organization member (by email) or an API key (by name).
struct ClaudeCodeActor: Sendable, Hashable {
    /// `true` for a `user_actor`, `false` for an `api_actor`.
    let isUser: Bool
    /// The email address (user) or API key name (api key).
    let identity: String
    /// `api` or `subscription`.
    let customerType: String
    /// `enterprise` / `team` for subscription customers.
    let subscriptionType: String?
    /// Whether the record carries `subscription_type` (as `null` for API customers that have it).
    let hasSubscriptionField: Bool
}
