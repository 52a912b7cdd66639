import ArgumentParser

#if canImport(FoundationEssentials)
import class FoundationEssentials.ProcessInfo
#else
import class Foundation.ProcessInfo
#endif

/// `streamer`: streams an organization's Anthropic Admin API data into Kafka.
@main
struct StreamerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "streamer",
        abstract: "Stream an organization's Anthropic Admin API data into Kafka, exactly once.",
        discussion: """
            Nine tables (claude_code_usage, usage_report, cost_report, organization, workspaces, api_keys, \
            invites, users, workspace_members) become keyed JSON events on one topic per table; cursors live in a \
            compacted checkpoint topic, so a restart resumes where it stopped.

            The admin key comes from ANTHROPIC_ADMIN_KEY (or ANTHROPIC_ADMIN_KEY_FILE, or ANTHROPIC_SOURCE_URI \
            as anthropic://?api_key=...), never from a flag. Every other setting is a flag, an environment \
            variable and a settings-file name (`streamer run --help` lists them); flags win, then environment, \
            then the --config file. A flag belongs to the commands that use it; others refuse it.

            Exit codes: 0 ok; 1 failed (tables not published, Admin API or Kafka failures retries could not fix; \
            rerun to resume); 64 bad usage (unknown flag, a flag of another command); 69 brokers unreachable; \
            75 fenced by another instance with the same transactional id; 77 key refused (401/403 or not an admin \
            key); 78 bad configuration (a setting, a file, a busy metrics port) or unreadable checkpoint; \
            130/143 backfill stopped by SIGINT/SIGTERM (run it again to resume).
            """,
        version: StreamerVersion.current,
        subcommands: [
            RunCommand.self, BackfillCommand.self, TablesCommand.self, CheckCommand.self, DemoCommand.self,
            SchemasCommand.self, SandboxCommand.self,
            ResetCommand.self,
            StatusCommand.self,
        ]
    )

    /// Sets the allocator up (``MemoryTuning``), then parses and runs the command.
    static func main() async {
        MemoryTuning.apply(environment: ProcessInfo.processInfo.environment)
        await main(nil)
    }
}
