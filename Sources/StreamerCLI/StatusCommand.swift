import AdminClient
import ArgumentParser
import Streamer

/// `streamer status`: each table's checkpoint (logic in ``TableStatus``).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Print each table's checkpoint: cursor, lag, last success, held deletions; exit 78 if one would be refused.",
        discussion: SettingsHelp.options(for: .status))

    @Argument(parsing: .allUnrecognized, help: .hidden) var arguments: [String] = []

    func run() async throws {
        try await Invocation.run(.status, arguments: arguments) { invocation in
            let statuses = try await TableStatus.load(
                configuration: invocation.configuration, organizationID: invocation.settings.organizationID,
                logger: invocation.logger)
            print(invocation.settings.printsJSON ? statuses.json : statuses.text)
            if let refused = statuses.first(where: { $0.problem != nil }) {
                throw StreamerError(
                    code: .corruptCheckpoint,
                    reason: "\(refused.organizationID)/\(refused.table.name): the checkpoint would be refused at start")
            }
        }
    }
}
