/// One Kafka record header. Header names may repeat within a record; order is kept.
public struct KafkaHeader: Sendable, Hashable {
    /// The header name.
    public var name: String
    /// The header value; `nil` is a null header (distinct from an empty value).
    public var value: [UInt8]?

    /// Creates a header.
    /// - Parameters:
    ///   - name: The header name.
    ///   - value: The value bytes, or `nil` for a null header.
    public init(name: String, value: [UInt8]?) {
        self.name = name
        self.value = value
    }
}
