import AdminClient
import Kafka
import Logging

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Date
#else
import struct Foundation.Date
#endif

/// `streamer status`: what each table's checkpoint says — cursor, lag, last success, held deletions — or why
/// it cannot be used.
public struct TableStatus: Sendable, Hashable {
    /// The organization.
    public var organizationID: String
    /// The table.
    public var table: AdminTable
    /// The checkpoint, when it is readable and matches this configuration.
    public var checkpoint: TableCheckpoint?
    /// Why the checkpoint would be refused at start (`nil` when it is fine or absent).
    public var problem: String?
    /// Seconds the cursor is behind `now` (as the `streamer_checkpoint_lag_seconds` gauge).
    public var lagSeconds: Double?

    /// Where the table stands, in words.
    public var cursor: String {
        guard let checkpoint else { return problem == nil ? "no checkpoint (starts from scratch)" : "unusable checkpoint" }
        if table.definition.cursorKind == .snapshot {
            guard let snapshot = checkpoint.snapshot, snapshot.generation > 0 else { return "no snapshot yet" }
            return "snapshot \(snapshot.generation), \(snapshot.lastRowCount ?? 0) rows"
        }
        var text = checkpoint.nextDay.map { "final through \($0.adding(days: -1))" } ?? "no final day yet"
        for series in checkpoint.inProgress { text += "; in progress \(series.start)..<\(series.end)" }
        return text
    }

    /// When the table last completed a cycle (state tables) or wrote its checkpoint (time tables).
    public var lastSuccess: Date? {
        checkpoint.map { $0.snapshot?.lastCompletedAt ?? $0.updatedAt }
    }

    /// Reads the checkpoint topic and reports every selected table of every organization found there (or only
    /// of `organizationID`).
    /// - Parameters:
    ///   - configuration: Brokers, topics and tables.
    ///   - organizationID: Only this organization; `nil` for all.
    ///   - now: For the lag.
    ///   - logger: The logger.
    /// - Returns: One status per (organization, table) with a checkpoint, sorted; plus, with `organizationID`,
    ///   one per selected table without a checkpoint.
    /// - Throws: ``StreamerError`` when the topic cannot be read.
    public static func load(
        configuration: StreamerConfiguration, organizationID: String?, now: Date = Date(), logger: Logger
    ) async throws(StreamerError) -> [TableStatus] {
        let stored: [String: [UInt8]]
        do {
            stored = try await CheckpointStore.read(
                topic: configuration.effectiveCheckpointTopic, configuration: configuration.kafka, timeout: .seconds(60),
                logger: logger)
        } catch {
            throw StreamerError.kafka(error)
        }
        var organizations = Set<String>()
        if let organizationID { organizations.insert(organizationID) }
        for key in stored.keys {
            guard let slash = key.lastIndex(of: "/") else { continue }
            let organization = String(key[..<slash])
            if organizationID == nil || organization == organizationID { organizations.insert(organization) }
        }
        let today = CalendarDay(containing: now)
        var statuses: [TableStatus] = []
        for organization in organizations.sorted() {
            for table in configuration.tables {
                let identity = CheckpointIdentity(
                    organizationID: organization, table: table, topic: configuration.topic(for: table))
                guard let bytes = stored[identity.key] else {
                    if organizationID != nil {
                        statuses.append(TableStatus(organizationID: organization, table: table))
                    }
                    continue
                }
                var status = TableStatus(organizationID: organization, table: table)
                do {
                    let loaded = try CheckpointCodec.decode(
                        bytes, expected: identity, checkpointTopic: configuration.effectiveCheckpointTopic, today: today)
                    status.checkpoint = loaded.checkpoint
                    status.lagSeconds = StreamerMetrics.lag(of: loaded.checkpoint, now: now)
                } catch {
                    status.problem = error.reason
                }
                statuses.append(status)
            }
        }
        return statuses
    }

    /// `seconds` rounded, clamped to what an `Int` holds (a checkpoint's dates come from outside).
    static func wholeSeconds(_ seconds: Double) -> Int {
        guard seconds.isFinite else { return 0 }
        return seconds >= 9e15 ? 9_000_000_000_000_000 : Int(max(0, seconds).rounded())
    }

    init(organizationID: String, table: AdminTable) {
        self.organizationID = organizationID
        self.table = table
    }
}

extension [TableStatus] {
    /// One line per table: organization, table, cursor, lag, last success, held deletion or problem.
    public var text: String {
        var lines: [String] = []
        for status in self {
            var line = "\(status.organizationID) \(status.table.name): \(status.cursor)"
            if let lag = status.lagSeconds { line += "; lag \(TableStatus.wholeSeconds(lag))s" }
            if let last = status.lastSuccess { line += "; last success \(RFC3339.string(from: last))" }
            if let held = status.checkpoint?.snapshot?.heldDeletion {
                line += "; HELD deletion of \(held.rows) of \(held.liveRows) rows (\(held.listings) listing(s) so far)"
            }
            if let problem = status.problem { line += "; REFUSED: \(problem)" }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// A JSON array, one object per table.
    public var json: String {
        let items: [JSONValue] = map { status in
            var object = JSONObject()
            object["organization_id"] = .string(status.organizationID)
            object["table"] = .string(status.table.name)
            object["cursor"] = .string(status.cursor)
            object["lag_seconds"] = status.lagSeconds.map { .number(JSONNumber(TableStatus.wholeSeconds($0))) } ?? .null
            object["last_success"] = status.lastSuccess.map { .string(RFC3339.string(from: $0)) } ?? .null
            if let held = status.checkpoint?.snapshot?.heldDeletion {
                var heldObject = JSONObject()
                heldObject["rows"] = .number(JSONNumber(held.rows))
                heldObject["live_rows"] = .number(JSONNumber(held.liveRows))
                heldObject["listings"] = .number(JSONNumber(held.listings))
                heldObject["first_held_at"] = .string(RFC3339.string(from: held.firstHeldAt))
                object["held_deletion"] = .object(heldObject)
            } else {
                object["held_deletion"] = .null
            }
            object["problem"] = status.problem.map { .string($0) } ?? .null
            return .object(object)
        }
        return JSONWriter.string(.array(items))
    }
}
