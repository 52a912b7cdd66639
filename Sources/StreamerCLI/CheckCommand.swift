import ArgumentParser

/// `streamer check`: checks everything `run` and `backfill` would do, without producing anything.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check the settings, every organization's key, the brokers, the producer and the topics; print the plan.",
        discussion: """
            Reads the same settings as run and backfill, reads the organizations file and each key exactly as \
            they would, asks the Admin API whether each key is accepted (/v1/organizations/me), builds the producer \
            from the same configuration (in exactly-once mode it initialises a transactional producer under \
            <transactional-id>-check-<organization id>, so a running instance is never fenced), lists the topics \
            each organization writes, and exits with the code the run would exit with on the first problem.

            \(SettingsHelp.options(for: .check))
            """)

    @Argument(parsing: .allUnrecognized, help: .hidden) var arguments: [String] = []

    func run() async throws {
        try await Invocation.run(.check, arguments: arguments) { invocation in
            try await Preflight(invocation: invocation).run()
        }
    }
}
