/// The row-state reads of one process, coalesced: every organization that asks for its row state while a read of
/// the same state topic is under way waits for the next read, which serves all of them at once.
///
/// A fleet of N organizations would otherwise read the whole state topic N times at start (each organization's
/// scopes are known only once `/v1/organizations/me` has answered): N consumers, N passes over every
/// organization's rows. Coalesced, the first organization reads alone and everyone who asked meanwhile shares
/// the next read, so a start takes a handful of reads. A failed read fails only the callers it served; the next
/// caller leads a new one.
actor RowStateLoads {
    /// Reads the row state of `scopes` from `topic` (``RowStateStore/load(topic:scopes:configuration:timeout:logger:)``
    /// in production).
    typealias Read = @Sendable (_ topic: String, _ scopes: Set<StateScope>) async throws(StreamerError) -> RowStateStore

    private enum Turn: Sendable {
        /// The read that included the caller's scopes ended.
        case served(Result<RowStateStore, StreamerError>)
        /// The caller leads the next read, for itself and every caller queued by then.
        case lead
    }

    private struct Waiter {
        let scopes: Set<StateScope>
        let continuation: CheckedContinuation<Turn, Never>
    }

    private let read: Read
    /// Topics with a read under way.
    private var reading: Set<String> = []
    /// Callers waiting for the next read of each topic, in arrival order.
    private var queued: [String: [Waiter]] = [:]

    /// - Parameter read: one pass over a state topic for a set of scopes.
    init(read: @escaping Read) {
        self.read = read
    }

    /// The row state of `scopes` (and nothing else) in `topic`, from a read that started after this call.
    ///
    /// - Throws: ``StreamerError`` from the read that served this call.
    func load(topic: String, scopes: Set<StateScope>) async throws(StreamerError) -> RowStateStore {
        if reading.contains(topic) {
            let turn = await withCheckedContinuation { continuation in
                queued[topic, default: []].append(Waiter(scopes: scopes, continuation: continuation))
            }
            if case .served(let result) = turn { return try result.get().restricted(to: scopes) }
        } else {
            reading.insert(topic)
        }
        let riders = queued.removeValue(forKey: topic) ?? []
        let all = riders.reduce(into: scopes) { $0.formUnion($1.scopes) }
        let result: Result<RowStateStore, StreamerError>
        do throws(StreamerError) {
            result = .success(try await read(topic, all))
        } catch {
            result = .failure(error)
        }
        for rider in riders { rider.continuation.resume(returning: .served(result)) }
        if var next = queued[topic], !next.isEmpty {
            let leader = next.removeFirst()
            queued[topic] = next.isEmpty ? nil : next
            leader.continuation.resume(returning: .lead)
        } else {
            reading.remove(topic)
        }
        return try result.get().restricted(to: scopes)
    }

    /// Callers waiting for the next read of `topic` (tests).
    func waiting(topic: String) -> Int { queued[topic]?.count ?? 0 }
}
