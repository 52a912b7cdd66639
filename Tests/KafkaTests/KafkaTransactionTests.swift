import Kafka
import Testing

@Suite struct KafkaTransactionTests {
    static func batch(_ prefix: String, count: Int = 20) -> [KafkaRecord] {
        (0..<count).map {
            KafkaRecord(topic: "txn", key: TestSupport.bytes("k\($0)"), value: TestSupport.bytes("\(prefix)-\($0)"))
        }
    }

    /// Runs `body`, returning its error instead of throwing it.
    static func attempt(_ body: () async throws(KafkaError) -> Void) async -> KafkaError? {
        do {
            try await body()
            return nil
        } catch {
            return error
        }
    }

    static func values(_ cluster: KafkaMockCluster, _ isolation: IsolationLevel) async throws -> Set<String> {
        let records = try await KafkaTopicReader.readAll(
            topic: "txn", configuration: TestSupport.configuration(cluster), isolation: isolation,
            logger: TestSupport.logger)
        return Set(records.compactMap { TestSupport.text($0.value) })
    }

    @Test("A transaction carries a group member's offsets with its generation and commits (KIP-447)")
    func offsetsInTransaction() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("txn", partitions: 3)
        try cluster.createTopic("work", partitions: 2)
        let membership = try KafkaGroupMembership(
            configuration: TestSupport.configuration(cluster), groupID: "units", topic: "work", logger: TestSupport.logger)
        var events = membership.events.makeAsyncIterator()
        guard case .assigned(let partitions)? = await events.next() else {
            Issue.record("the member should be assigned the work partitions")
            return
        }
        #expect(partitions == [0, 1])
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "instance-a")
        try await producer.beginTransaction()
        _ = try await producer.send(Self.batch("with-offsets"))
        try await producer.sendOffsetsToTransaction([0: 0, 1: 0], topic: "work", group: membership)
        try await producer.commitTransaction()
        await producer.close(timeout: .seconds(5))
        await membership.close()
        #expect(try await Self.values(cluster, .readCommitted) == Set(Self.batch("with-offsets").map { TestSupport.text($0.value)! }))
    }

    @Test("A committed batch is visible read_committed")
    func committed() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("txn", partitions: 3)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "streamer-a")
        try await producer.beginTransaction()
        _ = try await producer.send(Self.batch("committed"))
        try await producer.commitTransaction()
        await producer.close(timeout: .seconds(5))
        #expect(try await Self.values(cluster, .readCommitted) == Set(Self.batch("committed").map { TestSupport.text($0.value)! }))
    }

    @Test("An aborted batch is visible read_uncommitted; read_committed hides it (not on the mock cluster)")
    func aborted() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("txn", partitions: 3)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "streamer-b")
        try await producer.beginTransaction()
        _ = try await producer.send(Self.batch("aborted"))
        try await producer.abortTransaction()
        try await producer.beginTransaction()
        _ = try await producer.send(Self.batch("committed"))
        try await producer.commitTransaction()
        await producer.close(timeout: .seconds(5))

        let aborted = Set(Self.batch("aborted").map { TestSupport.text($0.value)! })
        let committed = Set(Self.batch("committed").map { TestSupport.text($0.value)! })
        #expect(try await Self.values(cluster, .readUncommitted) == aborted.union(committed))
        let readCommitted = try await Self.values(cluster, .readCommitted)
        #expect(committed.isSubset(of: readCommitted))
        // librdkafka's mock cluster writes no transaction markers and returns no aborted-transaction list in
        // Fetch (LSO = high watermark), so read_committed consumers see aborted records there.
        withKnownIssue("the librdkafka mock cluster does not hide aborted transactions from read_committed") {
            #expect(readCommitted.isDisjoint(with: aborted))
        }
    }

    @Test(
        "A second producer with the same transactional.id fences the first, whose next transaction fails with .fenced",
        arguments: [Int32(90) /* PRODUCER_FENCED */, 47 /* INVALID_PRODUCER_EPOCH */])
    func fencing(coordinatorAnswer: Int32) async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("txn", partitions: 3)
        let configuration = TestSupport.configuration(cluster, transactionalID: "streamer-fenced")
        let first = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        try await first.initTransactions()
        try await first.beginTransaction()
        _ = try await first.send(Self.batch("first"))
        try await first.commitTransaction()

        let second = try KafkaProducer(configuration: configuration, logger: TestSupport.logger)
        try await second.initTransactions()
        // A real coordinator bumps the epoch on the second InitProducerId and answers the first producer's next
        // AddPartitionsToTxn (API key 24) with PRODUCER_FENCED / INVALID_PRODUCER_EPOCH. librdkafka's mock
        // hands out a fresh producer id instead (no epoch bump), so that answer is injected here.
        cluster.pushRequestErrors(apiKey: 24, errors: [coordinatorAnswer])

        var thrown: KafkaError?
        do {
            try await first.beginTransaction()
            _ = try await first.send(Self.batch("zombie"))
            try await first.commitTransaction()
        } catch {
            thrown = error
        }
        let error = try #require(thrown)
        #expect(error.code == .fenced)
        #expect(error.isFatal)
        #expect(error.reason.contains("streamer-fenced"))
        await first.close(timeout: .seconds(1))

        try await second.beginTransaction()
        _ = try await second.send(Self.batch("second"))
        try await second.commitTransaction()
        await second.close(timeout: .seconds(5))
        let committed = try await Self.values(cluster, .readCommitted)
        #expect(committed.isSuperset(of: Set(Self.batch("second").map { TestSupport.text($0.value)! })))
    }

    @Test("produce enqueues into the transaction without waiting; the commit delivers those records")
    func produceThenCommit() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("txn", partitions: 3)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "streamer-p")
        try await producer.beginTransaction()
        try await producer.deliver(Self.batch("acknowledged"))
        try await producer.produce(Self.batch("enqueued"))
        try await producer.commitTransaction()
        await producer.close(timeout: .seconds(5))
        let expected = Set((Self.batch("acknowledged") + Self.batch("enqueued")).map { TestSupport.text($0.value)! })
        #expect(try await Self.values(cluster, .readCommitted) == expected)
    }

    @Test("A failed delivery of records produced without waiting makes commit throw .transactionAborted")
    func producedRecordFailsCommit() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("txn", partitions: 1)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "streamer-q")
        try await producer.beginTransaction()
        // The next Produce request (API key 0) is refused with MSG_SIZE_TOO_LARGE (10): not retriable.
        cluster.pushRequestErrors(apiKey: 0, errors: [10])
        try await producer.produce(Self.batch("lost"))
        let commitError = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(commitError?.code == .transactionAborted)
        try await producer.abortTransaction()
        await producer.close(timeout: .seconds(5))
    }

    @Test("produce on a producer that is not transactional throws .unsupported (nothing would report a failure)")
    func produceNeedsTransactions() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        let error = await #expect(throws: KafkaError.self) { try await producer.produce(Self.batch("x")) }
        #expect(error?.code == .unsupported)
        await producer.close(timeout: .seconds(1))
    }

    @Test("Transactional calls on a non-transactional producer throw .unsupported")
    func notTransactional() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        let producer = try KafkaProducer(configuration: TestSupport.configuration(cluster), logger: TestSupport.logger)
        let error = await #expect(throws: KafkaError.self) { try await producer.beginTransaction() }
        #expect(error?.code == .unsupported)
        await producer.close(timeout: .seconds(1))
    }

    @Test("A failed delivery inside a transaction makes commit throw .transactionAborted; abort and redo commits")
    func abortable() async throws {
        let cluster = try KafkaMockCluster(brokers: 1)
        try cluster.createTopic("txn", partitions: 1)
        let producer = try await TestSupport.transactionalProducer(cluster, transactionalID: "streamer-c")
        try await producer.beginTransaction()
        // The next Produce request (API key 0) is refused with MSG_SIZE_TOO_LARGE (10): not retriable.
        cluster.pushRequestErrors(apiKey: 0, errors: [10])
        let sendError = await #expect(throws: KafkaError.self) { _ = try await producer.send(Self.batch("first-try")) }
        #expect(sendError?.code == .messageTooLarge)
        let commitError = await #expect(throws: KafkaError.self) { try await producer.commitTransaction() }
        #expect(commitError?.code == .transactionAborted)
        #expect(commitError?.requiresAbort == true)
        try await producer.abortTransaction()
        // Abort and redo, as the streamer does. librdkafka 2.0.2 does not bump the producer epoch on that first
        // abort, so the redo may fail once more (client-side OUT_OF_ORDER_SEQUENCE_NUMBER, "requires epoch
        // bump") and succeed after the second abort.
        var attempts = 0
        while true {
            attempts += 1
            let failure: KafkaError? = await Self.attempt { () async throws(KafkaError) in
                try await producer.beginTransaction()
                _ = try await producer.send(Self.batch("redo"))
                try await producer.commitTransaction()
            }
            guard let failure else { break }
            #expect(failure.requiresAbort)
            guard failure.requiresAbort, attempts < 3 else { throw failure }
            try await producer.abortTransaction()
        }
        #expect(attempts <= 2)
        await producer.close(timeout: .seconds(5))
        let redo = Set(Self.batch("redo").map { TestSupport.text($0.value)! })
        #expect(try await Self.values(cluster, .readCommitted).isSuperset(of: redo))
    }
}
