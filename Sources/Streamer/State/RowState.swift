import Kafka

/// What consumers hold for one (organization, table): for each live row key (the event key, compact JSON),
/// the fingerprint of the value last published. Mirrored in the compacted state topic, one record per row key,
/// written in the same transaction as the events it describes.
///
/// A value type owned by one poller: it applies a change only after the transaction carrying its state
/// record committed.
public struct RowState: Sendable {
    /// Whose rows these are.
    public let scope: StateScope
    /// The compacted state topic (`<prefix>.state`).
    public let topic: String
    private(set) var fingerprints: [String: UInt64]

    /// Empty state, or the state loaded for `scope`.
    init(scope: StateScope, topic: String, fingerprints: [String: UInt64] = [:]) {
        self.scope = scope
        self.topic = topic
        self.fingerprints = fingerprints
    }

    /// Live rows.
    public var count: Int { fingerprints.count }

    /// The live row keys.
    public var keys: Dictionary<String, UInt64>.Keys { fingerprints.keys }

    /// The fingerprint (16 hex digits) of the value consumers hold for `key`; `nil` when no live row has it.
    public func fingerprint(forKey key: String) -> String? {
        fingerprints[key].map(Fingerprint.hex)
    }

    /// The fingerprint consumers hold for `key`.
    func fingerprintValue(forKey key: String) -> UInt64? { fingerprints[key] }

    /// Records that consumers now hold `fingerprint` (16 hex digits) for `key` (after its transaction
    /// committed); anything else is kept as a fingerprint no row matches, so the row is published again.
    public mutating func set(_ fingerprint: String, forKey key: String) {
        fingerprints[key] = Fingerprint.parse(fingerprint.utf8) ?? Self.unknownFingerprint
    }

    /// Records that consumers now hold `fingerprint` for `key` (after its transaction committed).
    mutating func setValue(_ fingerprint: UInt64, forKey key: String) { fingerprints[key] = fingerprint }

    /// Records that `key` was deleted (after its tombstone committed).
    public mutating func remove(key: String) { fingerprints.removeValue(forKey: key) }

    /// The state record saying consumers hold `fingerprint` (16 hex digits) for `key`.
    public func upsertRecord(key: String, fingerprint: String) -> KafkaRecord {
        KafkaRecord(topic: topic, key: Array((scope.keyPrefix + key).utf8), value: Array(fingerprint.utf8))
    }

    /// The tombstone of `key`'s state record, to go with the tombstone event of a deleted row.
    public func tombstoneRecord(key: String) -> KafkaRecord {
        KafkaRecord(topic: topic, key: Array((scope.keyPrefix + key).utf8), value: nil)
    }
}
