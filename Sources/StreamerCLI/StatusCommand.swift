import AdminClient
import ArgumentParser
import Streamer

/// `streamer status`: each table's checkpoint (logic in ``TableStatus``).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print each table's checkpoint: cursor, lag, last success, held deletions; exit 78 if one would be refused.")

    @OptionGroup var options: StreamerOptions

    @Option(help: "Only this organization id (default: every organization in the checkpoint topic).")
    var organization: String?

    @Flag(help: "Print a JSON array instead of text.")
    var json = false

    func run() async throws {
        try await withExitCodes {
            let resolver = try ConfigurationResolver(options: options)
            let logger = try LoggingSetup.bootstrap(from: resolver)
            let configuration = try resolver.configuration()
            let statuses = try await TableStatus.load(
                configuration: configuration, organizationID: organization, logger: logger)
            print(json ? statuses.json : statuses.text)
            if let refused = statuses.first(where: { $0.problem != nil }) {
                throw StreamerError(
                    code: .corruptCheckpoint,
                    reason: "\(refused.organizationID)/\(refused.table.name): the checkpoint would be refused at start")
            }
        }
    }
}
