/// A record to produce.
public struct KafkaRecord: Sendable, Hashable {
    /// The destination topic.
    public var topic: String
    /// The key; records with the same key land in the same partition (murmur2, as Java clients do).
    /// `nil` → a random partition.
    public var key: [UInt8]?
    /// The value; `nil` is a tombstone (deletes the key in a compacted topic).
    public var value: [UInt8]?
    /// Headers, in order.
    public var headers: [KafkaHeader]

    /// Creates a record.
    /// - Parameters:
    ///   - topic: The destination topic.
    ///   - key: The key, or `nil`.
    ///   - value: The value, or `nil` for a tombstone.
    ///   - headers: Headers, in order. Default: none.
    public init(topic: String, key: [UInt8]?, value: [UInt8]?, headers: [KafkaHeader] = []) {
        self.topic = topic
        self.key = key
        self.value = value
        self.headers = headers
    }
}
