import AdminClient
import Foundation
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

    @Flag(
        inversion: .prefixedNo,
        help: "Show per-table progress on standard error: redrawn in place on a terminal, a line every few seconds otherwise.")
    var progress = true

    func run() async throws {
        try await withExitCodes {
            let resolver = try ConfigurationResolver(options: options)
            let logger = try LoggingSetup.bootstrap(from: resolver)
            let configuration = try resolver.configuration()
            if resolver.groupID() != nil {
                throw StreamerError(code: .configuration, reason: "--group-id shares work between `streamer run` instances; a backfill is one pass: leave it out")
            }
            if let organizations = try resolver.organizations() {
                let fleet = try StreamerFleet(
                    shared: configuration, organizations: organizations, environment: ProcessInfo.processInfo.environment,
                    logger: logger)
                var failures: [String] = []
                for (name, result) in await fleet.backfill().sorted(by: { $0.key < $1.key }) {
                    switch result {
                    case .success(let outcomes):
                        let events = outcomes.values.map(\.eventsPublished).reduce(0, +)
                        let off = outcomes.filter { $0.value.unavailableReason != nil }.keys.map(\.name).sorted()
                        let note = off.isEmpty ? "" : "; NOT AVAILABLE to this organization (switched off): \(off.joined(separator: ", "))"
                        print("\(name): \(outcomes.count) tables, \(events) events published\(note)")
                    case .failure(let error):
                        print("\(name): failed: \(error.reason)")
                        failures.append(name)
                    }
                }
                if !failures.isEmpty {
                    throw StreamerError(
                        code: .tablesFailed,
                        reason: "organizations not fully published: \(failures.joined(separator: ", ")); run again to resume them")
                }
                return
            }
            let key = try resolver.apiKey()
            let progress = self.progress ? BackfillProgress() : nil
            let streamer = try await Streamer.make(
                configuration: configuration, apiKey: key, progress: progress, logger: logger)
            let outcomes: [AdminTable: CycleOutcome]
            if let progress {
                outcomes = try await BackfillProgressDisplay.standardError(progress: progress).showing {
                    () async throws(StreamerError) in try await streamer.backfill()
                }
            } else {
                outcomes = try await streamer.backfill()
            }
            if !configuration.isDryRun {
                for (table, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
                    let note =
                        outcome.unavailableReason != nil
                        ? " (NOT AVAILABLE to this organization: switched off, nothing read)"
                        : outcome.wasSkipped ? " (snapshot taken recently; skipped)" : ""
                    print("\(table.name): \(outcome.rowsFetched) rows fetched, \(outcome.eventsPublished) events published\(note)")
                }
            }
        }
    }
}
