/// What one poll cycle of one table did.
public struct CycleOutcome: Sendable, Hashable {
    /// Rows the Admin API returned.
    public var rowsFetched = 0
    /// Events published (new or changed rows, tombstones).
    public var eventsPublished = 0
    /// Tombstones published for rows that disappeared (state tables).
    public var deletes = 0
    /// Deletions held as a mass deletion awaiting confirmation (state tables).
    public var deletionsHeld = 0
    /// Pages published with their checkpoints.
    public var pages = 0
    /// `true` when nothing was due (a snapshot taken less than `--snapshot-interval` ago).
    public var wasSkipped = false
    /// Why the table was switched off for this organization (its endpoint answered 403/404), else `nil`.
    public var unavailableReason: String? = nil

    /// An empty outcome.
    public init() {}

    /// Adds what `other` did (a request series, or a repeated attempt of a cycle).
    mutating func add(_ other: CycleOutcome) {
        rowsFetched += other.rowsFetched
        eventsPublished += other.eventsPublished
        deletes += other.deletes
        deletionsHeld += other.deletionsHeld
        pages += other.pages
        wasSkipped = wasSkipped || other.wasSkipped
        unavailableReason = unavailableReason ?? other.unavailableReason
    }
}
