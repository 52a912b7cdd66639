import Kafka
import Logging
import Metrics

/// Publishes the pages of every poller of a process through one producer, many pages to a transaction
/// (docs/architecture.md §1.3).
///
/// Pages are produced into the open transaction as they arrive: enqueued in librdkafka, which reads them in place
/// until each is delivered (within milliseconds, long before the commit), then lets go of them (``submit(_:)``'s
/// receipt says so); the coordinator keeps only a page's metadata until the commit. The transaction commits once
/// every page in it is enqueued and no page is on its way, or once its ``CommitPolicy`` bound is reached; only each
/// source's newest checkpoint is written, just before the commit, which delivers every record and fails if one
/// could not be. Then every page is durable. An abortable failure aborts, fails the pages of that transaction and
/// refuses their sources' later pages until each begins a new cycle; a fenced or fatal producer fails everything
/// from then on.
///
/// At-least-once (a sink that is not transactional): there are no transactions, so nothing waits for a boundary.
/// Each page's records are produced as soon as it is admitted, many pages at once; a source's newest checkpoint
/// is produced once every record it covers is acknowledged (``AcknowledgedPages``), one checkpoint write in flight
/// at a time (so a source's checkpoints land in order; pages acknowledged meanwhile share the next write). Then
/// the covered pages are durable. A page whose records fail fails with every later page of its source,
/// and the source is refused until a new cycle, as after an abort.
///
/// ``run()`` drives it (a `Service`-style loop, ended by cancellation); pages offered before it runs wait.
public actor TransactionCoordinator: EventPublisher {
    /// A page and its receipt. Once the page's records are handed to the producer, only its metadata stays (``PublishedPage``
    /// with no records): source, sequence and checkpoint are all a page needs until it is durable.
    private struct Entry {
        var page: PublishedPage
        let receipt: PageReceipt.Resolver

        func settle(_ result: Result<Void, StreamerError>) { receipt.settle(result) }

        /// The page's records, leaving the entry with its metadata only.
        mutating func takeRecords() -> [KafkaRecord] {
            let records = page.records
            page.records = []
            return records
        }
    }

    private enum Event {
        case page(Entry)
        case beginCycle(source: String, firstSequence: UInt64)
        case sent(transaction: UInt64, error: KafkaError?)
        case deadline(transaction: UInt64)
        /// At-least-once: page `id`'s records were acknowledged (or failed).
        case pageSent(id: UInt64, source: String, error: KafkaError?)
        /// At-least-once: the checkpoint write in flight finished.
        case checkpointsWritten(error: KafkaError?)
        case revoke(sources: Set<String>, done: CheckedContinuation<Void, Never>)
    }

    private struct Transaction {
        let id: UInt64
        var entries: [Entry] = []
        /// Pages whose records are being enqueued.
        var outstanding = 0
        var records = 0
        var bytes = 0
        var isClosed = false
    }

    /// The reservations waiting for room in the process's page budgets: while one waits, pages are on their way
    /// and the open transaction waits for them (``BudgetWaiters``).
    public nonisolated let budgetWaiters = BudgetWaiters()

    private let sink: any TransactionalSink
    private let policy: CommitPolicy
    private let logger: Logger
    private let committed = Counter(label: MetricLabels.transactionsCommitted)
    private let aborted = Counter(label: MetricLabels.transactionsAborted)
    private let pagesPerTransaction = Recorder(label: MetricLabels.transactionPages)

    private var ledger = PageLedger<Entry>()
    private var inbox: [Event] = []
    private var wake: CheckedContinuation<Void, Never>? = nil
    private var queued: [Entry] = []
    private var open: Transaction? = nil
    private var nextTransactionID: UInt64 = 0
    private var stopped: StreamerError? = nil
    private var offsetsCommitter: (@Sendable (Set<String>) async throws(KafkaError) -> Void)? = nil
    /// At-least-once: pages produced and not yet covered by a checkpoint write.
    private var acknowledged = AcknowledgedPages<Entry>()
    /// At-least-once: page sends in flight.
    private var pendingSends = 0
    /// At-least-once: the pages the checkpoint write in flight covers.
    private var writing: [Entry]? = nil
    /// At-least-once: revocations that return once the checkpoint write in flight (holding their sources) ends.
    private var revocationsAfterWrite: [CheckedContinuation<Void, Never>] = []

    /// A coordinator over `sink`, which must already have called `initTransactions()` when transactional.
    ///
    /// - Parameters:
    ///   - sink: the producer.
    ///   - policy: when to commit.
    ///   - logger: for aborts and stops.
    public init(sink: any TransactionalSink, policy: CommitPolicy = CommitPolicy(), logger: Logger) {
        self.sink = sink
        self.policy = policy
        self.logger = logger
    }

    /// Adds, to every transaction, a step run just before its commit with the sources whose pages it holds:
    /// scale-out commits the units' work-topic offsets with the group's metadata there (KIP-447), so a member
    /// whose generation is stale cannot commit.
    ///
    /// - Parameter committer: the step; its failure aborts the transaction.
    public func commitOffsets(using committer: @escaping @Sendable (Set<String>) async throws(KafkaError) -> Void) {
        offsetsCommitter = committer
    }

    /// Stops publishing for `sources` (their work moved to another instance): their waiting pages fail, later ones
    /// are refused until a new cycle, and an open transaction holding any of their pages is aborted (its other
    /// pages fail and resume from their checkpoints). Returns once nothing of theirs can be committed any more.
    ///
    /// - Parameter sources: `<organization_id>/<table>` names.
    public func revoke(sources: Set<String>) async {
        guard stopped == nil, !sources.isEmpty else { return }
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            post(.revoke(sources: sources, done: done))
        }
    }

    /// Pages admitted and waiting for the next transaction (the open one is full or committing).
    var pagesQueued: Int { queued.count }

    /// Whether a transaction is open with every page in it enqueued, no bound reached and no event to handle: it
    /// commits as soon as nothing more is on its way.
    var holdsEnqueuedTransaction: Bool {
        guard let open, inbox.isEmpty else { return false }
        return open.outstanding == 0 && !open.isClosed
    }

    public func beginCycle(source: String, firstSequence: UInt64) async {
        post(.beginCycle(source: source, firstSequence: firstSequence))
    }

    public func publish(_ page: PublishedPage) async throws(StreamerError) {
        try await submit(page).wait()
    }

    /// Admits the page and returns at once. Its records are let go (``PageReceipt``) once they are delivered
    /// (exactly-once: enqueued in the open transaction and acknowledged by the broker, not yet committed;
    /// at-least-once: acknowledged); until then librdkafka reads them, or the page waits for the next transaction.
    public func submit(_ page: PublishedPage) async -> PageReceipt {
        if let stopped { return .settled(.failure(stopped)) }
        let (receipt, resolver) = PageReceipt.make()
        post(.page(Entry(page: page, receipt: resolver)))
        return receipt
    }

    /// Publishes pages until cancelled. On cancellation (graceful shutdown) it stops waiting for more pages,
    /// commits the pages it already holds, then refuses later ones. Its children (a send per page, a deadline per
    /// transaction) run in a discarding group, which frees each one as it ends: a task group keeps its finished
    /// children until their results are read, and this loop never reads them (a 1M-row backfill grew by 8-10 MiB,
    /// a long `run` without bound).
    public func run() async {
        await withDiscardingTaskGroup { group in
            while stopped == nil {
                let draining = Task.isCancelled
                let inFlight = (open?.outstanding ?? 0) > 0 || pendingSends > 0 || writing != nil
                if draining, open == nil, queued.isEmpty, inbox.isEmpty, !inFlight, acknowledged.isEmpty { break }
                if inbox.isEmpty {
                    if draining {
                        // Only records in flight can still post an event; wait for them without the cancellation
                        // handler, which would wake this loop at once, again and again.
                        if inFlight { await withCheckedContinuation { wake = $0 } }
                    } else {
                        await withTaskCancellationHandler {
                            await withCheckedContinuation { wake = $0 }
                        } onCancel: {
                            Task { await self.post(nil) }
                        }
                    }
                }
                let events = inbox
                inbox = []
                for event in events { await handle(event, group: &group) }
                if draining, var transaction = open {
                    transaction.isClosed = true
                    open = transaction
                }
                await advance(group: &group)
            }
        }
        await stop(StreamerError(code: .kafka, reason: "the streamer is shutting down; the page was not published"))
    }

    // MARK: Events

    private func post(_ event: Event?) {
        if let event { inbox.append(event) }
        if let waiting = wake {
            wake = nil
            waiting.resume()
        }
    }

    private func handle(_ event: Event, group: inout DiscardingTaskGroup) async {
        switch event {
        case .beginCycle(let source, let first):
            fail(ledger.beginCycle(source: source, firstSequence: first), reason: "a new cycle of \(source) began")
        case .page(let entry):
            switch ledger.admit(entry, source: entry.page.source, sequence: entry.page.sequence) {
            case .accepted(let entries):
                for entry in entries {
                    if sink.isTransactional { enqueue(entry, group: &group) } else { produce(entry, group: &group) }
                }
            case .parked:
                break
            case .refused(let reason):
                entry.settle(.failure(StreamerError(code: .kafka, reason: reason)))
            }
        case .sent(let id, let error):
            guard var transaction = open, transaction.id == id else { return }
            transaction.outstanding -= 1
            if let error {
                // No need to wait for the transaction's other records: abort now (librdkafka purges them).
                open = nil
                await failed(transaction, error: error)
                return
            }
            open = transaction
        case .deadline(let id):
            if open?.id == id { open?.isClosed = true }
        case .pageSent(let id, let source, let error):
            pendingSends -= 1
            guard let error else {
                acknowledged.acknowledge(id: id, source: source)
                return
            }
            await lost(acknowledged.fail(id: id, source: source), sources: [source], error: error)
        case .checkpointsWritten(let error):
            let entries = writing ?? []
            writing = nil
            for done in revocationsAfterWrite { done.resume() }
            revocationsAfterWrite = []
            guard let error else {
                committed.increment()
                pagesPerTransaction.record(entries.count)
                for entry in entries { entry.settle(.success(())) }
                return
            }
            let sources = Set(entries.map(\.page.source))
            await lost(entries + acknowledged.remove(sources: sources), sources: sources, error: error)
        case .revoke(let sources, let done):
            fail(ledger.poison(sources), reason: "its work moved to another instance")
            fail(acknowledged.remove(sources: sources), reason: "its work moved to another instance")
            fail(queued.filter { sources.contains($0.page.source) }, reason: "its work moved to another instance")
            queued.removeAll { sources.contains($0.page.source) }
            if let transaction = open, transaction.entries.contains(where: { sources.contains($0.page.source) }) {
                open = nil
                await failed(
                    transaction,
                    error: KafkaError(code: .transactionAborted, reason: "work in this transaction moved to another instance"))
            }
            if let writing, writing.contains(where: { sources.contains($0.page.source) }) {
                revocationsAfterWrite.append(done)
            } else {
                done.resume()
            }
        }
    }

    /// Adds a page to the open transaction, or queues it for the next one.
    private func enqueue(_ entry: consuming Entry, group: inout DiscardingTaskGroup) {
        guard var transaction = open, !transaction.isClosed else {
            queued.append(entry)
            return
        }
        let records = entry.takeRecords()
        let receipt = entry.receipt
        transaction.entries.append(entry)
        if records.isEmpty {
            receipt.released()
        } else {
            transaction.outstanding += 1
            transaction.records += records.count
            transaction.bytes += records.reduce(0) { $0 + $1.byteCount }
            let id = transaction.id
            deliver(records, enqueueOnly: true, releasing: receipt, group: &group) { .sent(transaction: id, error: $0) }
        }
        if transaction.records >= policy.maximumRecords || transaction.bytes >= policy.maximumBytes {
            transaction.isClosed = true
        }
        open = transaction
    }

    /// At-least-once: produces a page's records at once.
    private func produce(_ entry: consuming Entry, group: inout DiscardingTaskGroup) {
        let records = entry.takeRecords()
        let receipt = entry.receipt
        let source = entry.page.source
        let id = acknowledged.add(entry, source: source, acknowledged: records.isEmpty)
        guard !records.isEmpty else {
            receipt.released()
            return
        }
        pendingSends += 1
        deliver(records, releasing: receipt, group: &group) { .pageSent(id: id, source: source, error: $0) }
    }

    /// At-least-once: writes the newest checkpoint of each source whose pages are acknowledged, unless a write is
    /// in flight (the pages acknowledged meanwhile go in the next one).
    private func writeCheckpoints(group: inout DiscardingTaskGroup) {
        guard writing == nil, stopped == nil else { return }
        let ready = acknowledged.takeAcknowledged()
        guard !ready.isEmpty else { return }
        writing = ready
        deliver(Self.newestCheckpoints(ready.map(\.page)), group: &group) { .checkpointsWritten(error: $0) }
    }

    /// Sends `records` in a child task, tells `receipt` once they are let go, and posts the event `finished` makes
    /// of the outcome. Exactly-once (`enqueueOnly`) returns once librdkafka holds them (the commit delivers them and
    /// fails if one was not); they are let go when librdkafka is done reading them, at their delivery reports.
    /// Otherwise it returns once every one is acknowledged (`nil`: all were), which lets them go.
    private func deliver(
        _ records: [KafkaRecord], enqueueOnly: Bool = false, releasing receipt: PageReceipt.Resolver? = nil,
        group: inout DiscardingTaskGroup, finished: @escaping @Sendable (KafkaError?) -> Event
    ) {
        let sink = self.sink
        group.addTask {
            var failure: KafkaError? = nil
            do throws(KafkaError) {
                if enqueueOnly {
                    try await sink.produce(records) { receipt?.released() }
                } else {
                    try await sink.deliver(records)
                }
            } catch {
                failure = error
            }
            if !enqueueOnly { receipt?.released() }
            await self.post(finished(failure))
        }
    }

    /// At-least-once: fails `entries` (pages not made durable), refuses their sources' later pages until a new
    /// cycle; a fatal error stops everything.
    private func lost(_ entries: [Entry], sources: Set<String>, error: KafkaError) async {
        aborted.increment()
        let problem = StreamerError.kafka(error)
        for entry in entries { entry.settle(.failure(problem)) }
        if error.isFatal {
            logger.error("Producer failed; stopping", metadata: [LoggingKeys.error: "\(error)"])
            await stop(problem)
            return
        }
        logger.warning(
            "Pages not acknowledged; their tables resume from their last durable checkpoints",
            metadata: [LoggingKeys.error: "\(error)", LoggingKeys.pages: "\(entries.count)"])
        fail(ledger.poison(sources), reason: "an earlier page was lost")
    }

    private func deadlineReached(transaction: UInt64) {
        post(.deadline(transaction: transaction))
    }

    // MARK: Transactions

    /// Commits the open transaction when it is done, and opens the next one for queued pages.
    private func advance(group: inout DiscardingTaskGroup) async {
        if !sink.isTransactional {
            writeCheckpoints(group: &group)
            return
        }
        // Done: closed (a bound, the deadline, shutdown), or nothing more on its way: no page in the inbox and none
        // waiting for the room its records' deliveries are freeing.
        if let transaction = open, transaction.outstanding == 0,
            transaction.isClosed || (inbox.isEmpty && !budgetWaiters.any)
        {
            open = nil
            await finish(transaction)
        }
        guard open == nil, !queued.isEmpty, stopped == nil else { return }
        let pages = queued
        queued = []
        let id = nextTransactionID
        nextTransactionID += 1
        if sink.isTransactional {
            do {
                try await sink.beginTransaction()
            } catch {
                await failed(Transaction(id: id, entries: pages), error: error)
                return
            }
        }
        open = Transaction(id: id)
        for entry in pages { enqueue(entry, group: &group) }
        let interval = policy.interval
        group.addTask {
            try? await Task.sleep(for: interval)
            await self.deadlineReached(transaction: id)
        }
    }

    private func finish(_ transaction: Transaction) async {
        do {
            // The commit delivers the checkpoints with every other record of the transaction (and fails if one
            // cannot be delivered): no acknowledgement round trip of their own.
            let checkpoints = Self.newestCheckpoints(transaction.entries.map(\.page))
            if !checkpoints.isEmpty { try await sink.produce(checkpoints, released: {}) }
            if let offsetsCommitter { try await offsetsCommitter(Set(transaction.entries.map(\.page.source))) }
            try await sink.commitTransaction()
        } catch {
            await failed(transaction, error: error)
            return
        }
        committed.increment()
        pagesPerTransaction.record(transaction.entries.count)
        for entry in transaction.entries { entry.settle(.success(())) }
    }

    /// The newest checkpoint of each source among `pages`, in the order the sources first appear.
    static func newestCheckpoints(_ pages: [PublishedPage]) -> [KafkaRecord] {
        var newest: [String: (sequence: UInt64, record: KafkaRecord)] = [:]
        var order: [String] = []
        for page in pages {
            if let current = newest[page.source] {
                if page.sequence > current.sequence { newest[page.source] = (page.sequence, page.checkpoint) }
            } else {
                newest[page.source] = (page.sequence, page.checkpoint)
                order.append(page.source)
            }
        }
        return order.compactMap { newest[$0]?.record }
    }

    private func failed(_ transaction: Transaction, error: KafkaError) async {
        aborted.increment()
        if sink.isTransactional, !error.isFatal {
            do {
                try await sink.abortTransaction()
            } catch {
                if error.isFatal { await stop(StreamerError.kafka(error)) }
            }
        }
        let problem = StreamerError.kafka(error)
        if error.isFatal {
            logger.error("Producer failed; stopping", metadata: [LoggingKeys.error: "\(error)"])
            for entry in transaction.entries { entry.settle(.failure(problem)) }
            await stop(problem)
            return
        }
        logger.warning(
            "Transaction aborted; its tables resume from their last committed checkpoints",
            metadata: [LoggingKeys.error: "\(error)", LoggingKeys.pages: "\(transaction.entries.count)"])
        let sources = Set(transaction.entries.map(\.page.source))
        for entry in transaction.entries { entry.settle(.failure(problem)) }
        fail(ledger.poison(sources), reason: "an earlier page was lost with an aborted transaction")
        let (lost, kept) = (queued.filter { sources.contains($0.page.source) }, queued.filter { !sources.contains($0.page.source) })
        queued = kept
        fail(lost, reason: "an earlier page was lost with an aborted transaction")
    }

    private func fail(_ entries: [Entry], reason: String) {
        for entry in entries {
            entry.settle(.failure(StreamerError(code: .kafka, reason: "\(entry.page.source): \(reason)")))
        }
    }

    /// Fails every page not yet durable and refuses later ones.
    private func stop(_ error: StreamerError) async {
        if stopped == nil { stopped = error }
        if let transaction = open {
            open = nil
            if sink.isTransactional { try? await sink.abortTransaction() }
            for entry in transaction.entries { entry.settle(.failure(error)) }
        }
        for entry in queued { entry.settle(.failure(error)) }
        queued = []
        for entry in acknowledged.all + (writing ?? []) { entry.settle(.failure(error)) }
        acknowledged = AcknowledgedPages()
        writing = nil
        for done in revocationsAfterWrite { done.resume() }
        revocationsAfterWrite = []
        for event in inbox {
            switch event {
            case .page(let entry): entry.settle(.failure(error))
            case .revoke(_, let done): done.resume()
            default: break
            }
        }
        inbox = []
    }
}
