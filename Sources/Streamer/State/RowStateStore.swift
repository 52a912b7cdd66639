import AdminClient
import Kafka
import Logging

/// The row state of the (organization, table) pairs one process owns, read once at start from the compacted
/// state topic.
///
/// The topic is streamed (`read_committed`, up to the end offsets seen at start): each record is folded in as it
/// arrives, keeping only keys of owned scopes and only their latest version (a tombstone deletes), so memory
/// is bounded by the live rows owned, never by the topic's history or by other organizations' rows.
public struct RowStateStore: Sendable {
    /// The state topic.
    public let topic: String
    private var states: [StateScope: RowState]

    /// An empty store (nothing loaded: a dry run, or a test).
    /// - Parameter topic: The state topic.
    public init(topic: String) {
        self.topic = topic
        self.states = [:]
    }

    /// A store holding `states` (tests).
    init(topic: String, states: [StateScope: RowState]) {
        self.topic = topic
        self.states = states
    }

    /// The state of `scope`; empty when the topic holds none.
    /// - Parameter scope: An (organization, table) pair.
    /// - Returns: Its row state.
    public func state(for scope: StateScope) -> RowState {
        states[scope] ?? RowState(scope: scope, topic: topic)
    }

    /// This store with only the state of `scopes`: what one organization of a coalesced read keeps.
    /// - Parameter scopes: The scopes to keep.
    /// - Returns: The smaller store.
    func restricted(to scopes: Set<StateScope>) -> RowStateStore {
        var store = RowStateStore(topic: topic)
        store.states = states.filter { scopes.contains($0.key) }
        return store
    }

    /// Loads the state of `scopes` from `topic`.
    /// - Parameters:
    ///   - topic: The compacted state topic.
    ///   - scopes: The (organization, table) pairs this process owns; every other key is skipped.
    ///   - configuration: Connection settings.
    ///   - timeout: The bound for the whole read.
    ///   - logger: For a summary line, and a warning when records were malformed.
    /// - Returns: The store.
    /// - Throws: ``StreamerError`` wrapping what the read throws.
    public static func load(
        topic: String, scopes: Set<StateScope>, configuration: KafkaConfiguration, timeout: Duration, logger: Logger
    ) async throws(StreamerError) -> RowStateStore {
        var store = RowStateStore(topic: topic)
        guard !scopes.isEmpty else { return store }
        let loading: Loading
        do {
            loading = try await KafkaTopicReader.reduce(
                topic: topic, configuration: configuration, isolation: .readCommitted, timeout: timeout, logger: logger,
                into: Loading(scopes: scopes)
            ) { loading, record in loading.apply(record) }
        } catch {
            throw StreamerError(
                code: .kafka, reason: "loading the row state from topic '\(topic)' failed: \(error.reason)")
        }
        for (scope, fingerprints) in loading.fingerprints {
            store.states[scope] = RowState(scope: scope, topic: topic, fingerprints: fingerprints)
        }
        if loading.malformed > 0 {
            logger.warning(
                "State records with a value that is not 16 hex digits; their rows will be re-published",
                metadata: [LoggingKeys.records: "\(loading.malformed)", LoggingKeys.topic: "\(topic)"])
        }
        logger.debug(
            "Row state loaded",
            metadata: [LoggingKeys.records: "\(loading.records)", LoggingKeys.rows: "\(loading.live)"])
        return store
    }

    /// The fold over the state topic: owned keys only, latest version per key.
    struct Loading: Sendable {
        /// `<organization_id>/<table>` → scope, for the owned scopes.
        let owned: [String: StateScope]
        var fingerprints: [StateScope: [String: UInt64]] = [:]
        var records = 0
        var malformed = 0

        init(scopes: Set<StateScope>) {
            var owned: [String: StateScope] = [:]
            for scope in scopes { owned[scope.description] = scope }
            self.owned = owned
        }

        var live: Int { fingerprints.values.reduce(0) { $0 + $1.count } }

        mutating func apply(_ record: ConsumedRecord) {
            records += 1
            guard let key = record.key, let (scope, rowKey) = split(key) else { return }
            guard let value = record.value else {
                fingerprints[scope]?.removeValue(forKey: rowKey)
                return
            }
            if let fingerprint = Fingerprint.parse(value) {
                fingerprints[scope, default: [:]][rowKey] = fingerprint
            } else {
                // Unknown version: keep the key (a deletion must still become a tombstone) with a fingerprint no
                // value has in practice, so the row is re-published when listed.
                malformed += 1
                fingerprints[scope, default: [:]][rowKey] = RowState.unknownFingerprint
            }
        }

        /// `<organization_id>/<table>/<row key JSON>` → (owned scope, row key); `nil` for keys of other scopes.
        /// Organization ids and table names hold no `/`; a row key may.
        private func split(_ key: [UInt8]) -> (StateScope, String)? {
            let slash = UInt8(ascii: "/")
            guard let first = key.firstIndex(of: slash),
                let second = key[(first + 1)...].firstIndex(of: slash)
            else { return nil }
            guard let scope = owned[String(decoding: key[..<second], as: UTF8.self)] else { return nil }
            return (scope, String(decoding: key[(second + 1)...], as: UTF8.self))
        }
    }
}

extension RowState {
    /// Stands for a state record whose value could not be read.
    static let unknownFingerprint: UInt64 = 0
}
