import Kafka

/// One page handed to a publisher: its records (events, and row-state records) and the checkpoint of its
/// source after it. A page's checkpoint describes every earlier page of the same source, so pages of one source
/// must become durable in ``sequence`` order.
public struct PublishedPage: Sendable {
    /// The source: `<organization_id>/<table>` (the checkpoint's key).
    public var source: String
    /// The page's position among its source's pages; consecutive within a cycle.
    public var sequence: UInt64
    /// The events and state records, in order.
    public var records: [KafkaRecord]
    /// The source's checkpoint once this page (and every earlier one) is durable.
    public var checkpoint: KafkaRecord

    /// Creates a page.
    ///
    /// - Parameters:
    ///   - source: `<organization_id>/<table>`.
    ///   - sequence: the page's position among its source's pages.
    ///   - records: the events and state records.
    ///   - checkpoint: the source's checkpoint after this page.
    public init(source: String, sequence: UInt64, records: [KafkaRecord], checkpoint: KafkaRecord) {
        self.source = source
        self.sequence = sequence
        self.records = records
        self.checkpoint = checkpoint
    }
}
