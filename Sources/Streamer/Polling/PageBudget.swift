/// Bounds the bytes of the pages a streamer holds at once (`--max-buffered-mib`): pages fetched ahead, pages
/// handed to the publisher and waiting for the next transaction, and pages whose records librdkafka is reading in
/// place until they are delivered (it makes no copy), so every byte of a page is counted once, wherever it is;
/// after delivery only the page's metadata waits for the commit. A time table reads up to `--max-in-flight`
/// request series at once, each with its next page fetched while the current one is published; without a bound in
/// bytes, the memory of a backfill grows with the page size times the series, and glibc keeps what churn frees.
///
/// A series reserves an estimate before it requests a page (twice its largest page's event bytes: the response
/// body and its span map live until the page is decoded; not counting them let every series' decode coincide, a
/// 1M-row backfill peaking 2-4 MiB above its steady level), corrects it to the page's real size once decoded
/// (``adjust(by:)``), and gives it back once the page's records are delivered, or the page is lost
/// (``release(_:)``). A reservation is granted when it fits, or when nothing is held at all, so one page larger
/// than the whole budget still goes through, alone. Waiters are served in order. Every byte held belongs to a page already handed to the
/// publisher or being fetched, which finish without any waiter, so waiting cannot deadlock.
actor PageBudget {
    /// The bound, in bytes.
    nonisolated let limit: Int
    /// Where the process counts reservations waiting for room (the transaction coordinator reads it).
    private let waitersSignal: BudgetWaiters?
    /// Bytes reserved now.
    private(set) var inUse = 0
    private var waiters: [Waiter] = []
    private var nextWaiter: UInt64 = 0

    private struct Waiter {
        let id: UInt64
        let bytes: Int
        let continuation: CheckedContinuation<Void, Never>
    }

    /// A budget of `limit` bytes (at least one), counting its waiting reservations in `waiters`.
    init(limit: Int, waiters: BudgetWaiters? = nil) {
        self.limit = max(1, limit)
        self.waitersSignal = waiters
    }

    /// Waits until `bytes` fit (or nothing is held), then holds them. A cancelled waiter stops waiting and holds
    /// its bytes all the same, so a caller always releases what it reserved.
    func reserve(_ bytes: Int) async {
        let bytes = max(0, bytes)
        if waiters.isEmpty, fits(bytes) {
            inUse += bytes
            return
        }
        let id = nextWaiter
        nextWaiter += 1
        waitersSignal?.began()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                waiters.append(Waiter(id: id, bytes: bytes, continuation: continuation))
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    /// Changes what is held by `delta` bytes (a page's real size against its estimate).
    func adjust(by delta: Int) {
        inUse = max(0, inUse + delta)
        if delta < 0 { grant() }
    }

    /// Gives back `bytes`.
    func release(_ bytes: Int) {
        adjust(by: -max(0, bytes))
    }

    /// Reservations waiting for room.
    var waiting: Int { waiters.count }

    private func fits(_ bytes: Int) -> Bool { inUse == 0 || inUse + bytes <= limit }

    /// Lets waiters in, in order, while they fit.
    private func grant() {
        while let first = waiters.first, fits(first.bytes) {
            waiters.removeFirst()
            waitersSignal?.ended()
            inUse += first.bytes
            first.continuation.resume()
        }
    }

    private func cancel(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        let waiter = waiters.remove(at: index)
        waitersSignal?.ended()
        inUse += waiter.bytes
        waiter.continuation.resume()
        grant()
    }
}
