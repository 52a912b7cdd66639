import AdminClient
import Foundation
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
        abstract: "Poll every table continuously and stream new and changed rows into Kafka.")

    @OptionGroup var options: StreamerOptions

    func run() async throws {
        try await withExitCodes {
            let resolver = try ConfigurationResolver(options: options)
            let logger = try LoggingSetup.bootstrap(from: resolver)
            let configuration = try resolver.configuration()
            let metricsPort = try resolver.metricsPort()
            if let fleet = try Self.fleetService(resolver: resolver, configuration: configuration, logger: logger) {
                let registry = metricsPort.map { _ in PrometheusBootstrap.bootstrap() }
                var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
                if let metricsPort, let registry {
                    // Per-organization readiness is in the logs and metrics; /ready here says the process serves.
                    let routes = OperationsServer.Routes(metrics: { registry.emitToBuffer() }, readiness: { nil })
                    services.append(.init(service: OperationsServer(host: resolver.metricsHost(), port: metricsPort, routes: routes, logger: logger)))
                }
                services.append(.init(service: fleet, successTerminationBehavior: .gracefullyShutdownGroup))
                let group = ServiceGroup(
                    configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                try await group.run()
                return
            }
            let key = try resolver.apiKey()
            // Metrics first, so every metric the streamer creates is registered.
            let registry = metricsPort.map { _ in PrometheusBootstrap.bootstrap() }
            let slot = StreamerSlot()
            let starting = StartingStreamer(slot: slot) {
                try await Streamer.make(configuration: configuration, apiKey: key, logger: logger)
            }
            // The operations endpoint starts first (so /health answers while the streamer connects and loads its
            // checkpoints) and, as services stop in reverse order, stops last.
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
            if let metricsPort, let registry {
                let routes = OperationsServer.Routes(
                    metrics: { registry.emitToBuffer() }, readiness: { await slot.readiness() })
                services.append(.init(service: OperationsServer(host: resolver.metricsHost(), port: metricsPort, routes: routes, logger: logger)))
            }
            services.append(.init(service: starting, successTerminationBehavior: .gracefullyShutdownGroup))
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }
}

extension RunCommand {
    /// The service for several organizations (`--organizations`) or for a share of the work of a group of
    /// instances (`--group-id`); `nil` for the plain single-organization streamer.
    static func fleetService(
        resolver: ConfigurationResolver, configuration: StreamerConfiguration, logger: Logger
    ) throws(StreamerError) -> (any Service)? {
        let environment = ProcessInfo.processInfo.environment
        let listed = try resolver.organizations()
        if let groupID = resolver.groupID() {
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
