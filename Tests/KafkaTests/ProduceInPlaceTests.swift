import Kafka
import Synchronization
import Testing

/// librdkafka reads produced keys and values in place (no copy) until their delivery reports: the producer keeps
/// them alive that long and says when it lets go.
@Suite("Producing in place")
struct ProduceInPlaceTests {
    /// Counts `released` calls and lets a test wait for the first.
    final class Releases: Sendable {
        private let count = Mutex(0)
        private let stream: AsyncStream<Void>
        private let continuation: AsyncStream<Void>.Continuation

        init() { (stream, continuation) = AsyncStream.makeStream(of: Void.self) }

        var calls: Int { count.withLock { $0 } }

        /// The closure to hand to `produce`.
        var callback: @Sendable () -> Void {
            { [self] in
                count.withLock { $0 += 1 }
                continuation.yield()
            }
        }

        /// Returns once `released` has run.
        func first() async {
            for await _ in stream { return }
        }
    }

    /// `count` records whose keys and values are slices of one buffer, as a page's events are.
    static func page(_ label: String, count: Int) -> [KafkaRecord] {
        var buffer: [UInt8] = []
        var ranges: [(key: Range<Int>, value: Range<Int>)] = []
        for index in 0..<count {
            let keyStart = buffer.count
            buffer += Array("{\"id\":\(index)}".utf8)
            let valueStart = buffer.count
            buffer += Array("\(label)-\(index)-".utf8) + Array(repeating: UInt8(ascii: "a") + UInt8(index % 26), count: 200)
            ranges.append((keyStart..<valueStart, valueStart..<buffer.count))
        }
        return ranges.map { KafkaRecord(topic: "txn", key: buffer[$0.key], value: buffer[$0.value]) }
    }

    static func expectedValues(_ label: String, count: Int) -> Set<String> {
        Set(page(label, count: count).map { TestSupport.text($0.value)! })
    }

    /// Allocates and fills `mebibytes` of memory, then frees it: reuses whatever the allocator has free.
    static func churnMemory(mebibytes: Int) {
        var blocks: [[UInt8]] = []
        for _ in 0..<(mebibytes * 1024) { blocks.append(Array(repeating: 0xEE, count: 1024)) }
        #expect(blocks.count == mebibytes * 1024)
    }

    @Test("Records whose buffer the caller dropped right after produce arrive byte for byte")
    func bytesOutliveTheCaller() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("txn", partitions: 3)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "in-place-a")
        try await producer.beginTransaction()
        // The only references to the pages' buffers are the arguments: freed at once unless the producer keeps them.
        for round in 0..<4 {
            try await producer.produce(Self.page("round\(round)", count: 500))
            Self.churnMemory(mebibytes: 8)
        }
        try await producer.commitTransaction()
        await producer.close(timeout: .seconds(5))
        let expected = (0..<4).reduce(into: Set<String>()) { $0.formUnion(Self.expectedValues("round\($1)", count: 500)) }
        #expect(try await KafkaTransactionTests.values(cluster, .readCommitted) == expected)
    }

    @Test("released runs once, when every record is delivered, before the transaction commits")
    func releasedAfterDelivery() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("txn", partitions: 3)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "in-place-b")
        let releases = Releases()
        try await producer.beginTransaction()
        try await producer.produce(Self.page("p", count: 300), released: releases.callback)
        // Delivery happens inside the transaction: the records are let go without a commit.
        await releases.first()
        #expect(releases.calls == 1)
        try await producer.commitTransaction()
        await producer.close(timeout: .seconds(5))
        #expect(releases.calls == 1)
        #expect(try await KafkaTransactionTests.values(cluster, .readCommitted) == Self.expectedValues("p", count: 300))
    }

    @Test("released runs when the delivery failed too, and the commit reports the failure")
    func releasedAfterFailedDelivery() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("txn", partitions: 1)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "in-place-c")
        let releases = Releases()
        try await producer.beginTransaction()
        // The next Produce request (API key 0) is refused with MSG_SIZE_TOO_LARGE (10): not retriable.
        cluster.pushRequestErrors(apiKey: 0, errors: [10])
        try await producer.produce(Self.page("lost", count: 50), released: releases.callback)
        await releases.first()
        let error = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(error?.code == .transactionAborted)
        try await producer.abortTransaction()
        await producer.close(timeout: .seconds(5))
        #expect(releases.calls == 1)
    }

    @Test("released runs before produce throws for records it never took")
    func releasedWhenRefused() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        let releases = Releases()
        let error = await #expect(throws: KafkaError.self) {
            try await producer.produce(Self.page("x", count: 3), released: releases.callback)
        }
        #expect(error?.code == .unsupported)
        #expect(releases.calls == 1)
        await producer.close(timeout: .seconds(1))
    }
}
