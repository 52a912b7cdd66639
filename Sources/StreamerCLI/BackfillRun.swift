import AdminClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Streamer

/// What `streamer backfill` does once its settings are resolved: one organization or several, a summary on
/// standard output, and on SIGINT/SIGTERM an orderly stop (the open transaction finishes or aborts), the
/// summary of what was done and the resume hint.
struct BackfillRun {
    let invocation: Invocation

    func run() async throws {
        let configuration = invocation.configuration
        let logger = invocation.logger
        let organizations = try invocation.organizations()
        StartupLine.log(invocation, organizations: organizations?.map(\.name))
        let invocation = self.invocation
        let outcome = try await Interruption.run { () async throws -> BackfillOutcome in
            if let organizations {
                let fleet = try StreamerFleet(
                    shared: configuration, organizations: organizations, environment: invocation.environment, logger: logger)
                return .fleet(await fleet.backfill())
            }
            let key = try invocation.apiKey()
            let progress = invocation.settings.showsProgress ? BackfillProgress() : nil
            let streamer = try await Streamer.make(configuration: configuration, apiKey: key, progress: progress, logger: logger)
            if let progress {
                return .single(
                    try await BackfillProgressDisplay.standardError(progress: progress).showing {
                        () async throws(StreamerError) in try await streamer.backfill()
                    })
            }
            return .single(try await streamer.backfill())
        }
        switch outcome {
        case .finished(let result):
            result.printSummary(dryRun: configuration.isDryRun)
            logger.info("Shutdown", metadata: [LoggingKeys.outcome: "backfill finished"])
            try result.check()
        case .interrupted(let signal, let result):
            result?.printSummary(dryRun: configuration.isDryRun)
            StandardStream.error.write(
                "backfill interrupted by \(signal): the open transaction was finished or aborted; "
                    + "run the same command again to resume from the checkpoints\n")
            logger.notice("Shutdown", metadata: [LoggingKeys.outcome: "interrupted by \(signal)"])
            throw Interruption.exitCode(for: signal)
        }
    }
}

/// What a backfill produced, for the summary.
enum BackfillOutcome: Sendable {
    case single([AdminTable: CycleOutcome])
    case fleet([String: Result<[AdminTable: CycleOutcome], StreamerError>])

    func printSummary(dryRun: Bool) {
        switch self {
        case .single(let outcomes):
            guard !dryRun else { return }
            for (table, outcome) in outcomes.sorted(by: { $0.key < $1.key }) {
                let note =
                    outcome.unavailableReason != nil
                    ? " (NOT AVAILABLE to this organization: switched off, nothing read)"
                    : outcome.wasSkipped ? " (snapshot taken recently; skipped)" : ""
                print("\(table.name): \(outcome.rowsFetched) rows fetched, \(outcome.eventsPublished) events published\(note)")
            }
        case .fleet(let results):
            for (name, result) in results.sorted(by: { $0.key < $1.key }) {
                switch result {
                case .success(let outcomes):
                    let events = outcomes.values.map(\.eventsPublished).reduce(0, +)
                    let off = outcomes.filter { $0.value.unavailableReason != nil }.keys.map(\.name).sorted()
                    let note = off.isEmpty ? "" : "; NOT AVAILABLE to this organization (switched off): \(off.joined(separator: ", "))"
                    print("\(name): \(outcomes.count) tables, \(events) events published\(note)")
                case .failure(let error):
                    print("\(name): failed: \(error.reason)")
                }
            }
        }
    }

    /// Throws when an organization failed: with the failures' own code when they share one (an unset key
    /// variable is 78 here as in `check`), else `.tablesFailed`.
    func check() throws(StreamerError) {
        guard case .fleet(let results) = self else { return }
        var failures: [(name: String, error: StreamerError)] = []
        for (name, result) in results.sorted(by: { $0.key < $1.key }) {
            if case .failure(let error) = result { failures.append((name, error)) }
        }
        guard let first = failures.first else { return }
        let code = failures.allSatisfy { $0.error.code == first.error.code } ? first.error.code : .tablesFailed
        throw StreamerError(
            code: code,
            reason: "organizations not fully published: \(failures.map(\.name).joined(separator: ", ")) (\(first.name): \(first.error.reason)); "
                + "run the same command again to resume them")
    }
}
