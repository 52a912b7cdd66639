import AdminClient
import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Logging
import Streamer

/// `streamer backfill`: one pass over the selected tables, then exit.
struct BackfillCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backfill",
        abstract: "One pass: publish and checkpoint the selected tables over an interval, then exit.",
        discussion: """
            Exits 0 when every selected table is published and checkpointed, non-zero otherwise (run the same \
            command again to resume from the checkpoints). Days already published as final are not published again. \
            SIGINT or SIGTERM finishes or aborts the open transaction, prints what was done and exits 130 or 143.

            \(SettingsHelp.options(for: .backfill))
            """)

    @Argument(parsing: .allUnrecognized, help: .hidden) var arguments: [String] = []

    func run() async throws {
        try await Invocation.run(.backfill, arguments: arguments) { invocation in
            try await BackfillRun(invocation: invocation).run()
        }
    }
}
