import AdminClient
import ArgumentParser
import Logging
import Streamer

/// `streamer backfill`: one pass over the selected tables, then exit.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "One pass: publish and checkpoint the selected tables over an interval, then exit.",
        discussion: """
            Exits 0 when every selected table is published and checkpointed, non-zero otherwise (rerun to resume \
            from the checkpoints). Days already published as final are not published again.
            """)

    @OptionGroup var options: StreamerOptions

    func run() async throws {
        try await withExitCodes {
            let resolver = try ConfigurationResolver(options: options)
            let (level, json) = try resolver.logging()
            let logger = LoggingSetup.bootstrap(level: level, json: json)
            let configuration = try resolver.configuration()
            let key = try resolver.apiKey()
            let streamer = try await Streamer.make(configuration: configuration, apiKey: key, logger: logger)
            let outcomes = try await streamer.backfill()
            if !configuration.isDryRun {
                for (table, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
                    let note = outcome.wasSkipped ? " (snapshot taken recently; skipped)" : ""
                    print("\(table.name): \(outcome.rowsFetched) rows fetched, \(outcome.eventsPublished) events published\(note)")
                }
            }
        }
    }
}
