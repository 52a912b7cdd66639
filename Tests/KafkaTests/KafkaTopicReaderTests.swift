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

    @Test("a topic that does not exist has no offsets and reads as nothing")
    func missing() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let configuration = TestSupport.configuration(cluster)
        #expect(try await KafkaTopicReader.offsets(topic: "missing", configuration: configuration, logger: TestSupport.logger).isEmpty)
        #expect(try await KafkaTopicReader.readAll(topic: "missing", configuration: configuration, logger: TestSupport.logger).isEmpty)
    }
}
