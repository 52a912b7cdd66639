import AdminClient
import Logging
import ServiceLifecycle

/// Several organizations in one deployment: one ``Streamer`` per organization, each with its own key, request
/// budget, producer (its own transactional id) and pollers. One organization's failures — a bad key, a 429
/// storm, an API outage — never stall another's.
public final class StreamerFleet: Service, Sendable {
    private let shared: StreamerConfiguration
    private let organizations: [OrganizationSpec]
    private let environment: [String: String]
    private let transport: (any HTTPTransport)?
    private let logger: Logger
    /// How long an organization whose start failed waits before trying again.
    private let restartDelay: Duration

    /// A fleet over `organizations`, sharing `shared` (brokers, checkpoint topic, delivery, intervals).
    ///
    /// - Throws: ``StreamerError/Code/configuration`` when two organizations would write the same topics.
    public init(
        shared: StreamerConfiguration, organizations: [OrganizationSpec], environment: [String: String],
        transport: (any HTTPTransport)? = nil, restartDelay: Duration = .seconds(60), logger: Logger
    ) throws(StreamerError) {
        var owners: [String: String] = [:]
        for organization in organizations {
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
        self.shared = shared
        self.organizations = organizations
        self.environment = environment
        self.transport = transport
        self.restartDelay = restartDelay
        self.logger = logger
    }

    /// Runs every organization until cancelled or gracefully shut down. An organization that cannot start or
    /// stops with an error is logged and restarted after a delay; a fenced one (another instance owns it) stops.
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for organization in organizations {
                group.addTask { await self.keepRunning(organization) }
            }
        }
    }

    private func keepRunning(_ organization: OrganizationSpec) async {
        var logger = logger
        logger[metadataKey: LoggingKeys.organization] = "\(organization.name)"
        await StreamerSupervisor.keepRunning(restartDelay: restartDelay, logger: logger) { () async throws(StreamerError) in
            try await make(organization, logger: logger)
        }
    }

    /// One pass for every organization, concurrently.
    ///
    /// - Returns: each organization's outcome, by name: its tables' outcomes, or the error that stopped it.
    public func backfill() async -> [String: Result<[AdminTable: CycleOutcome], StreamerError>] {
        await withTaskGroup(of: (String, Result<[AdminTable: CycleOutcome], StreamerError>).self) { group in
            for organization in organizations {
                group.addTask {
                    var logger = self.logger
                    logger[metadataKey: LoggingKeys.organization] = "\(organization.name)"
                    // The result first, then the tuple: Swift 6.3.1 -O miscompiles a tuple return from inside
                    // `do throws(…)` in a task-group child (see Streamer.backfill).
                    let result: Result<[AdminTable: CycleOutcome], StreamerError>
                    do throws(StreamerError) {
                        let streamer = try await self.make(organization, logger: logger)
                        result = .success(try await streamer.backfill())
                    } catch {
                        result = .failure(error)
                    }
                    return (organization.name, result)
                }
            }
            var results: [String: Result<[AdminTable: CycleOutcome], StreamerError>] = [:]
            for await (name, result) in group { results[name] = result }
            return results
        }
    }

    private func make(_ organization: OrganizationSpec, logger: Logger) async throws(StreamerError) -> Streamer {
        let key = try organization.loadKey(environment: environment)
        do {
            return try await Streamer.make(
                configuration: organization.configuration(from: shared), apiKey: key, transport: transport, logger: logger)
        } catch {
            throw StreamerError(code: error.code, reason: "organization '\(organization.name)': \(error.reason)")
        }
    }
}
