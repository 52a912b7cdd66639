import Kafka
import Logging
import Testing

/// Reading a topic to its end: streamed through a fold, or all at once; and a topic's watermarks.
@Suite struct KafkaTopicReaderTests {
    func cluster(records: Int, partitions: Int = 4) async throws -> KafkaMockCluster {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("t", partitions: partitions)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        _ = try await producer.send((0..<records).map { index in
            KafkaRecord(topic: "t", key: TestSupport.bytes("k\(index % 10)"), value: TestSupport.bytes("\(index)"))
        })
        await producer.close(timeout: .seconds(5))
        return cluster
    }

    /// A one-partition topic `t` holding one record, `value`, in a transaction left open by the returned producer
    /// (keep the whole result: the cluster lives as long as it does).
    func openTransaction(
        _ transactionalID: String, value: String
    ) async throws -> (cluster: KafkaMockCluster, configuration: KafkaConfiguration, producer: KafkaProducer) {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("t", partitions: 1)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: transactionalID)
        try await producer.beginTransaction()
        _ = try await producer.send([KafkaRecord(topic: "t", key: TestSupport.bytes("k"), value: TestSupport.bytes(value))])
        return (cluster, TestSupport.configuration(cluster), producer)
    }

    @Test("reduce folds every record into the value, per partition in offset order, keeping only what the fold keeps")
    func reduce() async throws {
        let cluster = try await cluster(records: 1_000)
        let (count, latest) = try await KafkaTopicReader.reduce(
            topic: "t", configuration: TestSupport.configuration(cluster), logger: TestSupport.logger,
            into: (0, [String: Int]())
        ) { state, record in
            state.0 += 1
            state.1[TestSupport.text(record.key) ?? ""] = Int(TestSupport.text(record.value) ?? "")
        }
        #expect(count == 1_000)
        #expect(latest.count == 10)
        for key in 0..<10 { #expect(latest["k\(key)"] == 990 + key, "the last version of k\(key) wins") }
    }

    @Test("offsets gives every partition's watermarks; they add up to the records produced")
    func offsets() async throws {
        let cluster = try await cluster(records: 100)
        let offsets = try await KafkaTopicReader.offsets(
            topic: "t", configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        #expect(offsets.map(\.partition) == [0, 1, 2, 3])
        #expect(offsets.reduce(0) { $0 + $1.high - $1.low } == 100)
        #expect(offsets.contains { $0.hasRecords })
    }

    @Test("while a transaction is open the high watermark counts its records and the last stable offset stops before them")
    func lastStableOffset() async throws {
        let open = try await openTransaction("open", value: "v")  // holds the cluster to the end
        let (configuration, producer) = (open.configuration, open.producer)

        let end = try await KafkaTopicReader.offsets(topic: "t", configuration: configuration, logger: TestSupport.logger)
        #expect(end.map(\.high) == [1], "read_uncommitted: the open transaction's record counts")
        let stable = try await KafkaTopicReader.offsets(
            topic: "t", configuration: configuration, isolation: .readCommitted, logger: TestSupport.logger)
        withKnownIssue(
            Comment(
                rawValue: "librdkafka 2.0.2's mock cluster ignores ListOffsets' isolation level and tracks no transaction state: its last "
                    + "stable offset is always the log end (rdkafka_mock_handlers.c). A real broker answers 0 here.")
        ) {
            #expect(stable.map(\.high) == [0], "read_committed: the LSO stops at the open transaction's first record")
        }

        try await producer.commitTransaction()
        let committed = try await KafkaTopicReader.offsets(
            topic: "t", configuration: configuration, isolation: .readCommitted, logger: TestSupport.logger)
        #expect((committed.first?.high ?? 0) >= 1, "committed: the LSO has passed the record")
        await producer.close(timeout: .seconds(5))
    }

    @Test("firstRecord finds a record of a topic that holds some, and none in an empty or missing topic")
    func firstRecord() async throws {
        let cluster = try await cluster(records: 100)
        let configuration = TestSupport.configuration(cluster)
        let found = try #require(
            try await KafkaTopicReader.firstRecord(topic: "t", configuration: configuration, logger: TestSupport.logger))
        #expect(found.topic == "t")
        #expect(Int(TestSupport.text(found.value) ?? "").map { (0..<100).contains($0) } == true, "one of the records produced")
        try cluster.createTopic("empty", partitions: 3)
        #expect(try await KafkaTopicReader.firstRecord(topic: "empty", configuration: configuration, logger: TestSupport.logger) == nil)
        #expect(try await KafkaTopicReader.firstRecord(topic: "missing", configuration: configuration, logger: TestSupport.logger) == nil)
    }

    @Test("firstRecord at read_committed finds nothing in a topic that holds only an aborted transaction's records, and the record of a committed one")
    func firstRecordSkipsAborted() async throws {
        let open = try await openTransaction("aborts", value: "aborted")  // holds the cluster to the end
        let (configuration, producer) = (open.configuration, open.producer)
        try await producer.abortTransaction()

        let afterAbort = try await KafkaTopicReader.firstRecord(
            topic: "t", configuration: configuration, isolation: .readCommitted, logger: TestSupport.logger)
        withKnownIssue(
            Comment(
                rawValue: "librdkafka 2.0.2's mock cluster writes no transaction markers, so a read_committed consumer is "
                    + "handed aborted records. A real broker hides them and finds nothing here.")
        ) {
            #expect(afterAbort == nil, "an aborted transaction's records are not committed events")
        }

        try await producer.beginTransaction()
        _ = try await producer.send([KafkaRecord(topic: "t", key: TestSupport.bytes("k"), value: TestSupport.bytes("committed"))])
        try await producer.commitTransaction()
        let afterCommit = try await KafkaTopicReader.firstRecord(
            topic: "t", configuration: configuration, isolation: .readCommitted, logger: TestSupport.logger)
        #expect(afterCommit != nil, "a committed record is found")
        await producer.close(timeout: .seconds(5))
    }

    @Test("a topic that does not exist has no offsets and reads as nothing")
    func missing() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let configuration = TestSupport.configuration(cluster)
        #expect(try await KafkaTopicReader.offsets(topic: "missing", configuration: configuration, logger: TestSupport.logger).isEmpty)
        #expect(try await KafkaTopicReader.readAll(topic: "missing", configuration: configuration, logger: TestSupport.logger).isEmpty)
    }
}
