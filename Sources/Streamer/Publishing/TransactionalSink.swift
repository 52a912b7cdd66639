import Kafka

/// What the transaction coordinator needs of a producer. ``KafkaProducer`` is one; tests use a fake.
public protocol TransactionalSink: Sendable {
    /// Whether begin/commit/abort are available (exactly-once).
    var isTransactional: Bool { get }
    /// Begins a transaction.
    func beginTransaction() async throws(KafkaError)
    /// Produces the records and returns when every one is acknowledged.
    func deliver(_ records: [KafkaRecord]) async throws(KafkaError)
    /// Produces the records into the open transaction without waiting for them: its commit delivers them.
    /// `released` runs once the sink holds none of the records' bytes any more (it may read them until each is
    /// delivered), at the latest before a throw for records it never took.
    func produce(_ records: [KafkaRecord], released: @escaping @Sendable () -> Void) async throws(KafkaError)
    /// Commits the open transaction.
    func commitTransaction() async throws(KafkaError)
    /// Aborts the open transaction.
    func abortTransaction() async throws(KafkaError)
}

extension KafkaProducer: TransactionalSink {}
