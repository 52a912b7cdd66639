/// The first and next offsets of one partition (its low and high watermarks).
public struct PartitionOffsets: Sendable, Hashable {
    /// The partition.
    public var partition: Int32
    /// The first offset still held (the log start).
    public var low: Int64
    /// The offset the next record will get (the log end); read `read_committed`, the last stable offset.
    public var high: Int64

    /// Creates the offsets of one partition.
    /// - Parameters:
    ///   - partition: The partition.
    ///   - low: The low watermark.
    ///   - high: The high watermark.
    public init(partition: Int32, low: Int64, high: Int64) {
        self.partition = partition
        self.low = low
        self.high = high
    }

    /// `true` when the partition holds at least one record.
    public var hasRecords: Bool { high > low }
}
