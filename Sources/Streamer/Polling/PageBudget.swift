/// Bounds the bytes of the pages a streamer holds at once (`--max-buffered-mib`): pages fetched ahead, pages
/// handed to the publisher and waiting for the next transaction, and pages whose records librdkafka is reading in
/// place until they are delivered (it makes no copy), so every byte of a page is counted once, wherever it is;
/// after delivery only the page's metadata waits for the commit. A time table reads up to `--max-in-flight`
/// request series at once, each with its next page fetched while the current one is published; without a bound in
/// bytes, the memory of a backfill grows with the page size times the series, and glibc keeps what churn frees.
///
/// A series reserves an estimate before it requests a page (twice its largest page's event bytes: the response
/// body and its span map live until the page is decoded; not counting them let every series' decode coincide, a
/// 1M-row backfill peaking 2-4 MiB above its steady level), turns it into the page's real size once decoded
/// (``arrived(_:bytes:)``), and gives that back once the page's records are delivered, or the page is lost
/// (``release(_:)``). A reservation is granted when it fits, or when nothing is counted at all, so one page larger
/// than the whole budget still goes through, alone. Waiters are served in order. Every byte held belongs to a page
/// already handed to the publisher or being fetched, which finish without any waiter, so waiting cannot deadlock.
///
/// A request still unanswered after ``networkGrace`` stops counting until it arrives: its bytes do not exist yet,
/// and far from the API (a 150 ms round trip, 1,000-row pages) counting them would hold the requests in flight to
/// one budget's worth: 12 requests/s of the 40 allowed at 6 MiB (Benchmarks/results/wan.txt). Where the API answers
/// within the grace (the sandbox; or wherever Kafka, not the API, is the bottleneck, since then the budget is full of
/// pages waiting for delivery, not of requests) every byte counts. What slow requests bring when they arrive is
/// bounded by the series in flight (`--max-in-flight`).
actor PageBudget {
    /// A granted reservation, until its page arrives (or the request fails).
    struct Ticket: Sendable, Hashable {
        fileprivate let id: UInt64
        /// The bytes reserved.
        let bytes: Int
    }

    /// The bound, in bytes.
    nonisolated let limit: Int
    /// How long an unanswered request counts (see the type's description). Default: 25 ms (a 1M-row backfill
    /// against the sandbox: the same peak at 25, 50 and 100 ms; 150 ms from the API: 7.40 s at 25, 8.13 at 50,
    /// 11.83 at 100).
    nonisolated let networkGrace: Duration
    /// Bytes reserved now: pages held and requests pending, old or not.
    private(set) var inUse = 0
    /// Requests pending that may grow old: their bytes and when they were granted.
    private var pending: [UInt64: (bytes: Int, granted: ContinuousClock.Instant)] = [:]
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0
    /// Whether a recheck is scheduled.
    private var recheckScheduled = false
    /// Where the process counts reservations waiting for room (the transaction coordinator reads it).
    private let waitersSignal: BudgetWaiters?
    private let now: @Sendable () -> ContinuousClock.Instant

    private struct Waiter {
        let id: UInt64
        let bytes: Int
        let ages: Bool
        let continuation: CheckedContinuation<Void, Never>
    }

    /// A budget of `limit` bytes (at least one), counting its waiting reservations in `waiters`.
    ///
    /// - Parameters:
    ///   - limit: the bound.
    ///   - waiters: the process-wide count of waiting reservations.
    ///   - networkGrace: how long an unanswered request counts.
    ///   - now: the clock (tests set it).
    init(
        limit: Int, waiters: BudgetWaiters? = nil, networkGrace: Duration = .milliseconds(25),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { .now }
    ) {
        self.limit = max(1, limit)
        self.waitersSignal = waiters
        self.networkGrace = networkGrace
        self.now = now
    }

    /// Waits until `bytes` fit (or nothing counts), then holds them for a request about to be sent. A cancelled
    /// waiter stops waiting and holds its bytes all the same, so a caller always ends what it reserved
    /// (``arrived(_:bytes:)`` or ``abandon(_:)``).
    ///
    /// - Parameters:
    ///   - bytes: the estimate.
    ///   - ages: whether the request stops counting after the grace. A guess made before any page was seen does
    ///     not: letting the first guesses grow old sent every series' first request at once, before the first
    ///     answer could slow the request rate (a 3 requests/s limit: 15-16 requests answered 429 of 145, not 10).
    func reserve(_ bytes: Int, ages: Bool = true) async -> Ticket {
        let bytes = max(0, bytes)
        let id = nextID
        nextID += 1
        if waiters.isEmpty, fits(bytes) {
            hold(id, bytes, ages: ages)
            return Ticket(id: id, bytes: bytes)
        }
        waitersSignal?.began()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                waiters.append(Waiter(id: id, bytes: bytes, ages: ages, continuation: continuation))
                scheduleRecheck()
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
        return Ticket(id: id, bytes: bytes)
    }

    /// The page `ticket` was reserved for arrived and weighs `bytes` (its real size against the estimate): held
    /// until ``release(_:)``.
    func arrived(_ ticket: Ticket, bytes: Int) {
        pending[ticket.id] = nil
        adjust(by: max(0, bytes) - ticket.bytes)
    }

    /// The request `ticket` was reserved for brought no page (the series ended, or failed): its bytes go back.
    func abandon(_ ticket: Ticket) {
        pending[ticket.id] = nil
        adjust(by: -ticket.bytes)
    }

    /// Gives back `bytes` of pages held.
    func release(_ bytes: Int) {
        adjust(by: -max(0, bytes))
    }

    /// Reservations waiting for room.
    var waiting: Int { waiters.count }

    /// Lets in the waiters that fit now that unanswered requests may have grown old (the scheduled recheck; tests
    /// call it after moving their clock).
    func recheck() {
        recheckScheduled = false
        grant()
        scheduleRecheck()
    }

    /// The bytes that count: all reserved, less the requests unanswered for longer than the grace.
    private var counted: Int {
        let cutoff = now() - networkGrace
        return pending.values.reduce(inUse) { $1.granted <= cutoff ? $0 - $1.bytes : $0 }
    }

    private func fits(_ bytes: Int) -> Bool {
        let counted = counted
        return counted <= 0 || counted + bytes <= limit
    }

    private func hold(_ id: UInt64, _ bytes: Int, ages: Bool) {
        inUse += bytes
        if ages { pending[id] = (bytes, now()) }
    }

    private func adjust(by delta: Int) {
        inUse = max(0, inUse + delta)
        if delta < 0 { grant() }
    }

    /// Lets waiters in, in order, while they fit.
    private func grant() {
        while let first = waiters.first, fits(first.bytes) {
            waiters.removeFirst()
            waitersSignal?.ended()
            hold(first.id, first.bytes, ages: first.ages)
            first.continuation.resume()
        }
    }

    /// While a reservation waits and a request still counts, rechecks once the oldest counting one grows old.
    private func scheduleRecheck() {
        guard !waiters.isEmpty, !recheckScheduled else { return }
        let time = now()
        guard let oldest = pending.values.map(\.granted).filter({ $0 > time - networkGrace }).min() else { return }
        recheckScheduled = true
        let delay = oldest + networkGrace - time
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.recheck()
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waitersSignal?.ended()
        hold(waiter.id, waiter.bytes, ages: waiter.ages)
        waiter.continuation.resume()
        grant()
    }
}
