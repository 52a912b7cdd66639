import Testing

@testable import StreamerCLI

/// Flags belong to the commands that use them; every command-line mistake is refused (exit 64), none ignored.
@Suite struct CommandLineArgumentsTests {
    func usage(_ arguments: [String], _ command: StreamerSubcommand) -> String? {
        do {
            _ = try CommandLineArguments.parse(arguments, command: command)
            return nil
        } catch {
            return error.message
        }
    }

    @Test("--name value, --name=value, --switch and --no-switch")
    func forms() throws {
        let flags = try CommandLineArguments.parse(
            ["--tables", "users", "--settle-days=3", "--dry-run", "--no-progress"], command: .backfill)
        #expect(flags.map { "\($0.name)=\($0.value)" } == ["tables=users", "settle-days=3", "dry-run=true", "progress=false"])
    }

    @Test("backfill refuses --metrics-port and --group-id, naming the commands that use them")
    func otherCommandsFlags() {
        #expect(usage(["--metrics-port", "9999"], .backfill) == "--metrics-port is not an option of `streamer backfill`: only `streamer run`, `streamer check` use it")
        #expect(usage(["--group-id", "g"], .backfill) == "--group-id is not an option of `streamer backfill`: only `streamer run`, `streamer check` use it")
        #expect(usage(["--progress"], .run) == "--progress is not an option of `streamer run`: only `streamer backfill` use it")
    }

    @Test("an unknown flag is refused with a suggestion")
    func unknown() {
        #expect(usage(["--bootstrap-server", "b:9092"], .run) == "unknown option --bootstrap-server for `streamer run`; did you mean --bootstrap-servers?")
    }

    @Test("a flag given twice, a missing value, a value on --no-x and a stray argument are refused")
    func mistakes() {
        #expect(usage(["--tables", "users", "--tables", "invites"], .run) == "--tables is given twice; it takes one value")
        #expect(usage(["--tables"], .run) == "--tables needs a value")
        #expect(usage(["--tables", "--dry-run"], .run) == "--tables needs a value")
        #expect(usage(["--no-dry-run=true"], .run) == "--no-dry-run takes no value")
        #expect(usage(["users"], .run) == "unexpected argument 'users' for `streamer run`; options start with --")
    }

    @Test("--kafka-property repeats")
    func repeatable() throws {
        let flags = try CommandLineArguments.parse(
            ["--kafka-property", "a.b=1", "--kafka-property", "c.d=2"], command: .run)
        #expect(flags.map(\.value) == ["a.b=1", "c.d=2"])
    }
}
