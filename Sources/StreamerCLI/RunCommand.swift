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
            let (level, json) = try resolver.logging()
            let logger = LoggingSetup.bootstrap(level: level, json: json)
            let configuration = try resolver.configuration()
            let key = try resolver.apiKey()
            let metricsPort = try resolver.metricsPort()
            let registry = metricsPort.map { _ in PrometheusBootstrap.bootstrap() }
            let streamer = try await Streamer.make(configuration: configuration, apiKey: key, logger: logger)
            var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
                .init(service: streamer, successTerminationBehavior: .gracefullyShutdownGroup)
            ]
            if let metricsPort, let registry {
                let routes = OperationsServer.Routes(
                    metrics: { registry.emitToBuffer() }, readiness: { await streamer.readiness() })
                services.append(.init(service: OperationsServer(port: metricsPort, routes: routes, logger: logger)))
            }
            let group = ServiceGroup(
                configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }
}
