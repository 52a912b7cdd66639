import AdminClient
import Kafka
import Logging
import Streamer

/// The first line of `run` and `backfill`: version, organizations, brokers, tables, delivery.
enum StartupLine {
    static func log(_ invocation: Invocation, organizations: [String]?) {
        let configuration = invocation.configuration
        invocation.logger.info(
            "Starting",
            metadata: [
                LoggingKeys.version: "\(StreamerVersion.current)",
                "streamer.command": "\(invocation.command)",
                LoggingKeys.organizations: "\(organizations?.joined(separator: ",") ?? "ANTHROPIC_ADMIN_KEY's organization")",
                LoggingKeys.brokers: "\(configuration.isDryRun ? "none (dry run)" : configuration.kafka.bootstrapServers)",
                LoggingKeys.tables: "\(configuration.tables.map(\.name).joined(separator: ","))",
                LoggingKeys.delivery: "\(configuration.delivery.rawValue)",
            ])
    }
}

/// The version `--version`, the startup line and `streamer_build_info` report.
enum StreamerVersion {
    static let current = "0.1.0"
}
