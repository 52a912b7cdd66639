import AdminClient

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// What one poller needs to know besides its table: derived once from ``StreamerConfiguration``.
struct PollerSettings: Sendable {
    var topic: String
    /// See ``StreamerConfiguration/eventKeyPrefix(organizationID:)``.
    var eventKeyPrefix: [UInt8]? = nil
    var checkpointTopic: String
    var organizationID: String
    /// See ``StreamerConfiguration/metricsOrganization``.
    var metricsOrganization: String? = nil
    var explicitStart: CalendarDay?
    var explicitEnd: CalendarDay?
    var defaultStart: CalendarDay
    var settleDays: Int
    var snapshotInterval: Duration
    var resnapshot: Bool
    /// When a state table's deletions are held instead of carried out.
    var deletionGuard = DeletionGuard()
    var now: @Sendable () -> Date
    /// Request series of a time table read at once.
    var maxConcurrentSeries = 8
    /// How many times a cycle whose pages were lost with an aborted transaction is started again.
    var transactionAttempts = 5
    /// Bounds the bytes of the pages the streamer's pollers hold at once (shared by them); `nil` for no bound.
    var pageBudget: PageBudget? = nil
    /// Where a backfill's progress is reported; `nil` for none.
    var progress: BackfillProgress? = nil
}
