import AdminClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ArgumentParser
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals
import Streamer

/// `streamer run`: the long-running service.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Poll every table continuously and stream new and changed rows into Kafka.",
        discussion: """
            Runs until SIGTERM or SIGINT, which finish or abort the open transaction, flush, and exit 0.

            \(SettingsHelp.options(for: .run))
            """)

    @Argument(parsing: .allUnrecognized, help: .hidden) var arguments: [String] = []

    func run() async throws {
        try await Invocation.run(.run, arguments: arguments) { invocation in
            try await Self.serve(invocation)
            invocation.logger.info("Shutdown", metadata: [LoggingKeys.outcome: "stopped"])
        }
    }

    static func serve(_ invocation: Invocation) async throws {
        let configuration = invocation.configuration
        let logger = invocation.logger
        let metricsPort = invocation.settings.metricsPort
        // Metrics first, so every metric the streamer creates is registered.
        let registry = metricsPort.map { _ in PrometheusBootstrap.bootstrap(version: StreamerVersion.current) }
        if let fleet = try Self.fleetService(invocation: invocation) {
            StartupLine.log(invocation, organizations: try invocation.organizations()?.map(\.name) ?? ["default"])
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if let metricsPort, let registry {
                // Per-organization readiness is in the logs and metrics; /ready here says the process serves.
                let routes = OperationsServer.Routes(metrics: { PrometheusBootstrap.exposition(registry) }, readiness: { nil })
                services.append(.init(service: OperationsService(host: invocation.settings.metricsHost, port: metricsPort, routes: routes, logger: logger)))
            }
            services.append(.init(service: FreedMemoryReleaser(), successTerminationBehavior: .ignore))
            services.append(.init(service: fleet, successTerminationBehavior: .gracefullyShutdownGroup))
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            return
        }
        let key = try invocation.apiKey()
        StartupLine.log(invocation, organizations: nil)
        let slot = StreamerSlot()
        let progress = BackfillProgress()
        let starting = StartingStreamer(slot: slot) {
            try await Streamer.make(configuration: configuration, apiKey: key, progress: progress, logger: logger)
        }
        // The operations endpoint starts first (so /health answers while the streamer connects and loads its
        // checkpoints) and, as services stop in reverse order, stops last.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let metricsPort, let registry {
            let routes = OperationsServer.Routes(
                metrics: { PrometheusBootstrap.exposition(registry) }, readiness: { await slot.readiness() })
            services.append(.init(service: OperationsService(host: invocation.settings.metricsHost, port: metricsPort, routes: routes, logger: logger)))
        }
        services.append(.init(service: CatchUpReporter(progress: progress, logger: logger), successTerminationBehavior: .ignore))
        services.append(.init(service: FreedMemoryReleaser(), successTerminationBehavior: .ignore))
        services.append(.init(service: starting, successTerminationBehavior: .gracefullyShutdownGroup))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}

extension RunCommand {
    /// The service for several organizations (`--organizations`) or for a share of the work of a group of
    /// instances (`--group-id`); `nil` for the plain single-organization streamer.
    static func fleetService(invocation: Invocation) throws(StreamerError) -> (any Service)? {
        let configuration = invocation.configuration
        let logger = invocation.logger
        let environment = invocation.environment
        let listed = try invocation.organizations()
        if let groupID = invocation.settings.groupID {
            let organizations =
                listed ?? [
                    OrganizationSpec(
                        name: "default", key: .environment("ANTHROPIC_ADMIN_KEY"), topicPrefix: configuration.topicPrefix)
                ]
            return try ScaleOutCoordinator(
                shared: configuration, organizations: organizations, environment: environment, groupID: groupID,
                logger: logger)
        }
        if let listed {
            return try StreamerFleet(shared: configuration, organizations: listed, environment: environment, logger: logger)
        }
        return nil
    }
}

/// The streamer once it is made, for `/ready`.
actor StreamerSlot {
    private var streamer: Streamer?

    func set(_ streamer: Streamer) { self.streamer = streamer }

    func readiness() async -> String? {
        guard let streamer else { return "starting: checking the key, reaching the brokers, loading checkpoints" }
        return await streamer.readiness()
    }
}

/// Makes the streamer inside the service group, then runs it: the group's signal handling and the operations
/// endpoint are up while it starts.
struct StartingStreamer: Service {
    let slot: StreamerSlot
    let make: @Sendable () async throws -> Streamer

    func run() async throws {
        let streamer = try await make()
        await slot.set(streamer)
        try await streamer.run()
    }
}
