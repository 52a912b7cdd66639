/// Where a produced record was stored.
public struct DeliveryReport: Sendable, Hashable {
    /// The topic.
    public var topic: String
    /// The partition the record landed in.
    public var partition: Int32
    /// The record's offset in that partition.
    public var offset: Int64

    /// Creates a report.
    /// - Parameters:
    ///   - topic: The topic.
    ///   - partition: The partition.
    ///   - offset: The offset.
    public init(topic: String, partition: Int32, offset: Int64) {
        self.topic = topic
        self.partition = partition
        self.offset = offset
    }
}
