import Kafka
import Testing

@Suite struct CheckpointStoreTests {
    @Test("The last value per key wins across store instances")
    func lastValueWins() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("ckpt", partitions: 3)
        let configuration = TestSupport.configuration(cluster)
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        let store = CheckpointStore(topic: "ckpt", configuration: configuration, producer: producer, logger: TestSupport.logger)
        try await store.write(key: "org-1/users", value: TestSupport.bytes("v1"))
        try await store.write(key: "org-1/users", value: TestSupport.bytes("v2"))
        try await store.write(key: "org-1/invites", value: TestSupport.bytes("v3"))

        let reopened = CheckpointStore(topic: "ckpt", configuration: configuration, producer: producer, logger: TestSupport.logger)
        let loaded = try await reopened.load(timeout: .seconds(10))
        #expect(loaded == ["org-1/users": TestSupport.bytes("v2"), "org-1/invites": TestSupport.bytes("v3")])
        await producer.close(timeout: .seconds(1))
    }

    @Test("A tombstone deletes a checkpoint")
    func tombstone() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("ckpt", partitions: 1)
        let configuration = TestSupport.configuration(cluster)
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        let store = CheckpointStore(topic: "ckpt", configuration: configuration, producer: producer, logger: TestSupport.logger)
        try await store.write(key: "org-1/users", value: TestSupport.bytes("v1"))
        _ = try await producer.send([KafkaRecord(topic: "ckpt", key: TestSupport.bytes("org-1/users"), value: nil)])
        #expect(try await store.load(timeout: .seconds(10)).isEmpty)
        await producer.close(timeout: .seconds(1))
    }

    @Test("An empty or nonexistent checkpoint topic loads as empty")
    func emptyTopic() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("empty", partitions: 2)
        let configuration = TestSupport.configuration(cluster)
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        for topic in ["empty", "never-created"] {
            let store = CheckpointStore(topic: topic, configuration: configuration, producer: producer, logger: TestSupport.logger)
            #expect(try await store.load(timeout: .seconds(10)) == [:])
        }
        await producer.close(timeout: .seconds(1))
    }

    @Test("Checkpoints committed with events load; one sent in an aborted transaction does not (not on the mock)")
    func transactional() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("ckpt", partitions: 3)
        try cluster.createTopic("events", partitions: 3)
        let configuration = TestSupport.configuration(cluster, transactionalID: "streamer-ckpt")
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        try await producer.initTransactions()
        let store = CheckpointStore(topic: "ckpt", configuration: configuration, producer: producer, logger: TestSupport.logger)

        // write() on a transactional producer runs in its own transaction.
        try await store.write(key: "org-1/users", value: TestSupport.bytes("committed-alone"))
        try await producer.beginTransaction()
        _ = try await producer.send([
            KafkaRecord(topic: "events", key: TestSupport.bytes("e1"), value: TestSupport.bytes("{}")),
            store.record(key: "org-1/invites", value: TestSupport.bytes("committed-with-events")),
        ])
        try await producer.commitTransaction()
        try await producer.beginTransaction()
        _ = try await producer.send([store.record(key: "org-1/users", value: TestSupport.bytes("aborted"))])
        try await producer.abortTransaction()
        await producer.close(timeout: .seconds(5))

        let loaded = try await store.load(timeout: .seconds(10))
        #expect(loaded["org-1/invites"] == TestSupport.bytes("committed-with-events"))
        // See KafkaTransactionTests: the mock cluster does not hide aborted records from read_committed.
        withKnownIssue("the librdkafka mock cluster does not hide aborted transactions from read_committed") {
            #expect(loaded["org-1/users"] == TestSupport.bytes("committed-alone"))
        }
    }
}
