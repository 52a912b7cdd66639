import AdminClient
import Kafka
import Logging
import ServiceLifecycle

/// Several organizations in one deployment: one ``Streamer`` per organization, each with its own key, request
/// budget and pollers, all publishing through one producer and transaction coordinator (transactional id
/// `<transactional-id-prefix>-fleet`). One organization's failures — a bad key, a 429 storm, an API outage —
/// never stall another's: the coordinator never waits for a particular organization's pages.
public final class StreamerFleet: Service, Sendable {
    private let shared: StreamerConfiguration
    private let organizations: [OrganizationSpec]
    private let environment: [String: String]
    /// The one HTTP transport of every organization's client (connections and their buffers are pooled
    /// process-wide, not per organization).
    private let transport: any HTTPTransport
    private let logger: Logger
    /// How long an organization whose start failed waits before trying again.
    private let restartDelay: Duration
    /// Organizations in their backfill at once (``backfill()``).
    private let concurrentBackfills: Int

    /// Organizations backfilling at once by default: enough to keep the API and the producer busy, few enough
    /// that 1,000 organizations stay within 256 MiB.
    public static let defaultConcurrentBackfills = 64

    /// A fleet over `organizations`, sharing `shared` (brokers, checkpoint topic, delivery, intervals).
    ///
    /// `transport` carries every organization's requests (tests route them by key); `nil` makes one transport
    /// for the whole fleet, never one per organization. ``backfill()`` runs at most `concurrentBackfills`
    /// organizations at once, and ``run()`` at most as many in their first cycle (Default:
    /// ``defaultConcurrentBackfills``).
    ///
    /// - Throws: ``StreamerError/Code/configuration`` when two organizations would write the same topics (in the
    ///   per-organization layout), or an organization names a topic prefix in the shared layout.
    public init(
        shared: StreamerConfiguration, organizations: [OrganizationSpec], environment: [String: String],
        transport: (any HTTPTransport)? = nil, restartDelay: Duration = .seconds(60),
        concurrentBackfills: Int = StreamerFleet.defaultConcurrentBackfills, logger: Logger
    ) throws(StreamerError) {
        var owners: [String: String] = [:]
        for organization in organizations where shared.topicLayout == .perOrganization {
            let configuration = organization.configuration(from: shared)
            for table in configuration.tables {
                let topic = configuration.topic(for: table)
                if let other = owners[topic] {
                    throw StreamerError(
                        code: .configuration,
                        reason: "organizations '\(other)' and '\(organization.name)' would both write \(topic); keys of different "
                            + "organizations can be equal, so compaction would drop rows: give them different topic_prefix values")
                }
                owners[topic] = organization.name
            }
        }
        if shared.topicLayout == .shared, let named = organizations.first(where: { $0.topicPrefix != nil }) {
            throw StreamerError(
                code: .configuration,
                reason: "organization '\(named.name)' sets topic_prefix, but --topic-layout shared writes every organization "
                    + "to <prefix>.<table>: remove topic_prefix, or use --topic-layout per-organization")
        }
        self.shared = shared
        self.organizations = organizations
        self.environment = environment
        self.transport = transport ?? CurlTransport()
        self.restartDelay = restartDelay
        self.concurrentBackfills = concurrentBackfills
        self.logger = logger
    }

    /// Runs every organization until cancelled or gracefully shut down. An organization that cannot start or
    /// stops with an error is logged and restarted after a delay; a fenced one (another instance owns it) stops.
    /// At most `concurrentBackfills` organizations are in their first cycle (their backfill) at once; the others
    /// wait their turn, so memory does not grow with the number of organizations.
    ///
    /// - Throws: ``StreamerError`` when the shared producer cannot start (brokers unreachable, fenced).
    public func run() async throws {
        let publishing = try await connect()
        let admission = OrganizationAdmission(width: concurrentBackfills)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await publishing.run() }
            await withTaskGroup(of: Void.self) { organizationsGroup in
                for organization in organizations {
                    organizationsGroup.addTask {
                        await self.keepRunning(organization, admission: admission, publishing: publishing)
                    }
                }
            }
            group.cancelAll()
        }
        await publishing.close()
    }

    /// The transactional id of the fleet's one producer.
    public var transactionalID: String { "\(shared.transactionalIDPrefix)-fleet" }

    private func connect() async throws(StreamerError) -> SharedPublishing {
        var topics: [TopicSpecification] = []
        for organization in organizations {
            for spec in Streamer.topicSpecifications(organization.configuration(from: shared))
            where !topics.contains(where: { $0.name == spec.name }) {
                topics.append(spec)
            }
        }
        return try await SharedPublishing.connect(
            configuration: shared, topics: topics, transactionalID: transactionalID, logger: logger)
    }

    private func keepRunning(
        _ organization: OrganizationSpec, admission: OrganizationAdmission, publishing: SharedPublishing
    ) async {
        var logger = logger
        logger[metadataKey: LoggingKeys.organization] = "\(organization.name)"
        await StreamerSupervisor.keepRunning(
            restartDelay: restartDelay, logger: logger, admission: admission
        ) { () async throws(StreamerError) in
            try await make(organization, publishing: publishing, logger: logger)
        }
    }

    /// One pass for every organization, concurrently.
    ///
    /// - Returns: each organization's outcome, by name: its tables' outcomes, or the error that stopped it.
    public func backfill() async -> [String: Result<[AdminTable: CycleOutcome], StreamerError>] {
        let publishing: SharedPublishing?
        let connectFailure: StreamerError?
        do throws(StreamerError) {
            publishing = try await connect()
            connectFailure = nil
        } catch {
            publishing = nil
            connectFailure = error
        }
        guard let publishing else {
            let failure = connectFailure ?? StreamerError(code: .kafka, reason: "the producer did not start")
            return Dictionary(uniqueKeysWithValues: organizations.map { ($0.name, .failure(failure)) })
        }
        let results = await withTaskGroup(of: Void.self) { group in
            group.addTask { await publishing.run() }
            let results = await backfillOrganizations(publishing: publishing)
            group.cancelAll()
            return results
        }
        await publishing.close()
        return results
    }

    private func backfillOrganizations(
        publishing: SharedPublishing
    ) async -> [String: Result<[AdminTable: CycleOutcome], StreamerError>] {
        let admission = OrganizationAdmission(width: concurrentBackfills)
        return await withTaskGroup(of: (String, Result<[AdminTable: CycleOutcome], StreamerError>).self) { group in
            for organization in organizations {
                group.addTask {
                    let result = await admission.withTurn {
                        await self.backfill(organization, publishing: publishing)
                    }
                    return (organization.name, result ?? .failure(Self.stoppedBeforeItsTurn))
                }
            }
            var results: [String: Result<[AdminTable: CycleOutcome], StreamerError>] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
    }

    /// The outcome of an organization whose backfill was stopped (SIGTERM) while it waited for its turn.
    static let stoppedBeforeItsTurn = StreamerError(
        code: .tablesFailed,
        reason: "not started: the backfill was stopped while this organization waited for its turn; run the same "
            + "command again to backfill it")

    private func backfill(
        _ organization: OrganizationSpec, publishing: SharedPublishing
    ) async -> Result<[AdminTable: CycleOutcome], StreamerError> {
        var logger = logger
        logger[metadataKey: LoggingKeys.organization] = "\(organization.name)"
        // The result first, then the tuple: Swift 6.3.1 -O miscompiles a tuple return from inside `do throws(…)`
        // in a task-group child (see Streamer.backfill).
        let result: Result<[AdminTable: CycleOutcome], StreamerError>
        do throws(StreamerError) {
            let streamer = try await make(organization, publishing: publishing, logger: logger)
            result = .success(try await streamer.backfill())
        } catch {
            result = .failure(error)
        }
        return result
    }

    private func make(
        _ organization: OrganizationSpec, publishing: SharedPublishing, logger: Logger
    ) async throws(StreamerError) -> Streamer {
        let key = try organization.loadKey(environment: environment)
        do {
            return try await Streamer.make(
                configuration: organization.configuration(from: shared), apiKey: key, transport: transport,
                shared: publishing, logger: logger)
        } catch {
            throw StreamerError(code: error.code, reason: "organization '\(organization.name)': \(error.reason)")
        }
    }
}
