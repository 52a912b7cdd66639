import AdminClient
import ArgumentParser
import Streamer

/// `streamer reset`: makes the next run publish some tables again from scratch (logic in ``StateReset``).
struct ResetCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reset",
        abstract: "Start tables over: the next run or backfill publishes them again from scratch.",
        discussion: """
            Replaces the tables' checkpoints with empty ones and deletes their row state, in one transaction of \
            the streamer's own producer (so every key lands in the right partition). A streamer still running \
            with the same transactional id is fenced and stops (exit 75); restarted, it publishes the tables again.

            \(SettingsHelp.options(for: .reset))
            """)

    @Argument(parsing: .allUnrecognized, help: .hidden) var arguments: [String] = []

    func run() async throws {
        try await Invocation.run(.reset, arguments: arguments) { invocation in
            let configuration = invocation.configuration
            guard invocation.sources["tables"] != nil else {
                throw StreamerError(code: .configuration, reason: "reset needs --tables: the tables to publish again")
            }
            let organizationID: String
            if let organization = invocation.settings.organizationID {
                organizationID = organization
            } else {
                organizationID = try await StateReset.organizationID(
                    configuration: configuration, apiKey: try invocation.apiKey(), logger: invocation.logger)
            }
            let outcome = try await StateReset.reset(
                tables: configuration.tables, organizationID: organizationID, configuration: configuration,
                logger: invocation.logger)
            print(
                "reset \(configuration.tables.map(\.name).joined(separator: ", ")) of organization \(organizationID): "
                    + "\(outcome.checkpoints) checkpoints emptied, \(outcome.stateRecords) row states deleted; "
                    + "the next run or backfill publishes them again from scratch")
        }
    }
}
