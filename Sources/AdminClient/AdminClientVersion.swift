/// The version of this client, sent in the default `user-agent`.
public enum AdminClientVersion {
    /// The client's semantic version.
    public static let current = "0.1.0"
}
