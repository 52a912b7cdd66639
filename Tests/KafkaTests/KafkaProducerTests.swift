import Kafka
import Testing

@Suite struct KafkaProducerTests {
    @Test("1,000 keyed records with headers read back with their keys, values, headers, per-key order, murmur2 partitions")
    func roundTrip() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("events", partitions: 3)
        let configuration = TestSupport.configuration(cluster)
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        let records = (0..<1_000).map { index in
            KafkaRecord(
                topic: "events", key: TestSupport.bytes("key-\(index % 37)"),
                value: TestSupport.bytes("{\"n\":\(index)}"),
                headers: [
                    KafkaHeader(name: "event_type", value: TestSupport.bytes("row")),
                    KafkaHeader(name: "sequence", value: TestSupport.bytes("\(index)")),
                    KafkaHeader(name: "empty", value: nil),
                ])
        }
        let reports = try await producer.send(records)
        #expect(reports.count == 1_000)
        #expect(reports.allSatisfy { $0.topic == "events" })
        await producer.close(timeout: .seconds(5))

        let consumed = try await KafkaTopicReader.readAll(
            topic: "events", configuration: configuration, logger: TestSupport.logger)
        #expect(consumed.count == 1_000)
        let byValue = Dictionary(uniqueKeysWithValues: consumed.map { (TestSupport.text($0.value)!, $0) })
        for (index, record) in records.enumerated() {
            let read = try #require(byValue[TestSupport.text(record.value)!])
            #expect(read.key == record.key.map { Array($0) })
            #expect(read.headers == record.headers)
            #expect(read.partition == reports[index].partition)
            #expect(read.offset == reports[index].offset)
            #expect(read.partition == Murmur2.partition(Array(record.key!), partitions: 3))
        }
        // Per key: offsets increase in send order.
        var lastOffsetByKey: [String: Int64] = [:]
        for (index, record) in records.enumerated() {
            let key = TestSupport.text(record.key)!
            if let last = lastOffsetByKey[key] { #expect(reports[index].offset > last) }
            lastOffsetByKey[key] = reports[index].offset
        }
        #expect(Set(consumed.map(\.partition)) == [0, 1, 2])
    }

    @Test("Records sharing one headers array, records with their own, none and other topics each keep theirs")
    func sharedAndOwnHeaders() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("a", partitions: 2)
        try cluster.createTopic("b", partitions: 2)
        let configuration = TestSupport.configuration(cluster)
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        // The encoder shares one headers array across a page's events; the producer reuses their C form then.
        let shared = [
            KafkaHeader(name: "anthropic.table", value: TestSupport.bytes("claude_code_usage")),
            KafkaHeader(name: "null", value: nil),
        ]
        var records: [KafkaRecord] = []
        for index in 0..<60 {
            let topic = index % 7 == 0 ? "b" : "a"
            let headers: [KafkaHeader] =
                switch index % 5 {
                case 0: [KafkaHeader(name: "own-\(index)", value: TestSupport.bytes(String(repeating: "v", count: index * 13)))]
                case 1: []
                default: shared
                }
            records.append(
                KafkaRecord(topic: topic, key: TestSupport.bytes("k\(index)"), value: TestSupport.bytes("\(index)"), headers: headers))
        }
        try await producer.deliver(records)
        await producer.close(timeout: .seconds(5))
        var consumed: [ConsumedRecord] = []
        for topic in ["a", "b"] {
            consumed += try await KafkaTopicReader.readAll(topic: topic, configuration: configuration, logger: TestSupport.logger)
        }
        #expect(consumed.count == records.count)
        let byValue = Dictionary(uniqueKeysWithValues: consumed.map { (TestSupport.text($0.value)!, $0) })
        for record in records {
            let read = try #require(byValue[TestSupport.text(record.value)!])
            #expect(read.topic == record.topic)
            #expect(read.key == record.key.map { Array($0) })
            #expect(read.headers == record.headers)
        }
    }

    @Test("Known keys land on the partitions Java clients choose")
    func javaPartitions() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("p", partitions: 6)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        // murmur2("foobar") = -790332482 → 1357151166 % 6 = 0; murmur2("21") = -973932308 → 1173551340 % 6 = 0;
        // murmur2("abc") = 479470107 % 6 = 3.
        let keys = ["foobar", "21", "abc"]
        let reports = try await producer.send(keys.map { KafkaRecord(topic: "p", key: TestSupport.bytes($0), value: []) })
        #expect(reports.map(\.partition) == [0, 0, 3])
        await producer.close(timeout: .seconds(5))
    }

    @Test("waitUntilReachable against a closed port throws .brokersUnreachable naming the bootstrap servers")
    func unreachable() async throws {
        let producer = try KafkaProducer(
            configuration: KafkaConfiguration(bootstrapServers: "127.0.0.1:1"), logger: TestSupport.logger)
        let error = await #expect(throws: KafkaError.self) {
            try await producer.waitUntilReachable(timeout: .seconds(2))
        }
        #expect(error?.code == .brokersUnreachable)
        #expect(error?.reason.contains("127.0.0.1:1") == true)
        #expect(error?.description.contains("ms") == true)
        await producer.close(timeout: .milliseconds(100))
    }

    @Test("waitUntilReachable returns once the mock cluster answers")
    func reachable() async throws {
        let cluster = try KafkaMockCluster()
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        try await producer.waitUntilReachable(timeout: .seconds(10))
        try cluster.createTopic("known", partitions: 1)
        #expect(try await producer.topicNames(timeout: .seconds(5)).contains("known"))
        await producer.close(timeout: .seconds(1))
    }

    @Test("All brokers down during a send and back up: every record delivered exactly once")
    func brokersDownAndUp() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("bounce", partitions: 3)
        let configuration = TestSupport.configuration(cluster)
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        try await producer.waitUntilReachable(timeout: .seconds(10))
        let records = (0..<3_000).map {
            KafkaRecord(topic: "bounce", key: TestSupport.bytes("k\($0 % 11)"), value: TestSupport.bytes("v\($0)"))
        }
        // Take every broker down, send, and bring them back while the records wait in the queue. (Taking them
        // down only once the queue was non-empty raced: on a loaded machine the whole send could be delivered
        // before the loop looked, and a Task.yield() spin then starved the 2-thread cooperative pool.)
        for id in cluster.brokerIDs { cluster.setBrokerDown(id) }
        let sending = Task { try await producer.send(records) }
        let deadline = ContinuousClock.now + .seconds(5)
        while producer.queueDepth == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(1)) }
        try await Task.sleep(for: .milliseconds(300))
        for id in cluster.brokerIDs { cluster.setBrokerUp(id) }
        let reports = try await sending.value
        #expect(reports.count == records.count)
        await producer.close(timeout: .seconds(5))

        let consumed = try await KafkaTopicReader.readAll(
            topic: "bounce", configuration: configuration, logger: TestSupport.logger)
        let values = consumed.compactMap { TestSupport.text($0.value) }
        #expect(values.count == records.count)
        #expect(Set(values).count == records.count)
    }

    @Test("Back-pressure: 1,000 records through a 100-message queue with brokers down wait, then complete")
    func backPressure() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("bp", partitions: 2)
        var configuration = TestSupport.configuration(cluster)
        configuration.maxQueuedMessages = 100
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        try await producer.waitUntilReachable(timeout: .seconds(10))
        cluster.setBrokerDown(1)
        let records = (0..<1_000).map {
            KafkaRecord(topic: "bp", key: TestSupport.bytes("k\($0)"), value: TestSupport.bytes("v\($0)"))
        }
        let sending = Task { try await producer.send(records) }
        while producer.queueDepth < 100 { try await Task.sleep(for: .milliseconds(10)) }
        // The queue holds at most 100 of the 1,000 messages; the depth (rd_kafka_outq_len) also counts events
        // waiting to be served, such as the down broker's errors, so it may read a few above 100.
        #expect(producer.queueDepth < 150, "bounded near the 100-message queue, not the 1,000 records sent")
        cluster.setBrokerUp(1)
        let reports = try await sending.value
        #expect(reports.count == 1_000)
        await producer.close(timeout: .seconds(5))
        let consumed = try await KafkaTopicReader.readAll(topic: "bp", configuration: configuration, logger: TestSupport.logger)
        #expect(consumed.count == 1_000)
    }

    @Test("A record larger than message.max.bytes fails with .messageTooLarge naming topic and size")
    func tooLarge() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        var configuration = TestSupport.configuration(cluster)
        configuration.properties["message.max.bytes"] = "10000"
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        let error = await #expect(throws: KafkaError.self) {
            _ = try await producer.send([KafkaRecord(topic: "big", key: nil, value: Array(repeating: 7, count: 20_000))])
        }
        #expect(error?.code == .messageTooLarge)
        #expect(error?.reason.contains("'big'") == true)
        #expect(error?.reason.contains("20000") == true)
        await producer.close(timeout: .seconds(1))
    }

    @Test("send after close throws .closed")
    func closed() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        await producer.close(timeout: .seconds(1))
        await producer.close(timeout: .seconds(1))
        let error = await #expect(throws: KafkaError.self) {
            _ = try await producer.send([KafkaRecord(topic: "t", key: nil, value: [1])])
        }
        #expect(error?.code == .closed)
    }

    @Test("A nil value is a tombstone and an empty value stays empty")
    func tombstones() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("tomb", partitions: 1)
        let configuration = TestSupport.configuration(cluster)
        let producer = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        _ = try await producer.send([
            KafkaRecord(topic: "tomb", key: TestSupport.bytes("a"), value: nil),
            KafkaRecord(topic: "tomb", key: TestSupport.bytes("b"), value: []),
        ])
        await producer.close(timeout: .seconds(1))
        let consumed = try await KafkaTopicReader.readAll(topic: "tomb", configuration: configuration, logger: TestSupport.logger)
        #expect(consumed.map(\.value) == [nil, []])
    }
}
