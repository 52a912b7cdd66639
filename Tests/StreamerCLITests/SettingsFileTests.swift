import Testing

@testable import StreamerCLI

/// The settings file's grammar: `name = value`, comments anywhere after a value, quotes, repeatable names, and
/// every mistake refused with the file and the line.
@Suite struct SettingsFileTests {
    func parse(_ text: String) throws(ConfigurationProblem) -> [String: [String]] {
        let file = try SettingsFile.parse(text, path: "streamer.conf")
        return Dictionary(grouping: file.entries, by: \.name).mapValues { $0.map(\.value) }
    }

    func problem(_ text: String) -> String? {
        do {
            _ = try SettingsFile.parse(text, path: "streamer.conf")
            return nil
        } catch {
            return error.message
        }
    }

    @Test("name = value lines, blank lines and full-line comments")
    func plainLines() throws {
        let values = try parse("# brokers\n\nbootstrap-servers = b1:9092,b2:9092\n  topic-prefix=acme\n")
        #expect(values == ["bootstrap-servers": ["b1:9092,b2:9092"], "topic-prefix": ["acme"]])
    }

    @Test("a # after a space starts a comment; a # inside a bare word does not")
    func trailingComments() throws {
        let values = try parse("settle-days = 3   # late data\ntransactional-id = eu#1\n")
        #expect(values["settle-days"] == ["3"])
        #expect(values["transactional-id"] == ["eu#1"])
    }

    @Test("double quotes take escapes and keep # as text; single quotes are literal; a comment may follow")
    func quotes() throws {
        let values = try parse(
            #"tables = "users,cost_report"  # two tables"# + "\n" + #"topic-prefix = "a # \"b\"""# + "\n"
                + #"transactional-id = 'x\y' # literal"# + "\n")
        #expect(values["tables"] == ["users,cost_report"])
        #expect(values["topic-prefix"] == [#"a # "b""#])
        #expect(values["transactional-id"] == [#"x\y"#])
    }

    @Test("a repeatable name counts every line, in order")
    func repeatable() throws {
        let values = try parse("kafka-property = security.protocol=SASL_SSL\nkafka-property = sasl.mechanism=PLAIN\n")
        #expect(values["kafka-property"] == ["security.protocol=SASL_SSL", "sasl.mechanism=PLAIN"])
    }

    @Test("Windows line endings are read")
    func crlf() throws {
        #expect(try parse("settle-days = 4\r\n")["settle-days"] == ["4"])
    }

    @Test(
        "mistakes are refused with the file and the line",
        arguments: [
            ("bootstrap-server = b:9092", "streamer.conf:1: unknown setting 'bootstrap-server'; did you mean bootstrap-servers?"),
            ("\n\ntables users", "streamer.conf:3: expected name = value"),
            ("settle-days = 2\nsettle-days = 3", "streamer.conf:2: settle-days is already set on line 1; it takes one value"),
            ("tables =   # nothing", "streamer.conf:1: tables: no value after '='"),
            ("tables = \"users", "streamer.conf:1: tables: the quote \" is never closed"),
            ("tables = \"users\" x", "streamer.conf:1: tables: text after the closing quote (start a comment with #)"),
            ("admin-key = sk-ant-admin01-x", "streamer.conf:1: keys do not belong in settings files; use admin-key-file = /path or ANTHROPIC_ADMIN_KEY"),
            ("config = other.conf", "streamer.conf:1: a settings file cannot name another settings file"),
        ])
    func refused(text: String, message: String) {
        #expect(problem(text) == message)
    }

    @Test("a key in a refused line never reaches the message")
    func keyNotEchoed() throws {
        let message = try #require(problem("api-key = sk-ant-admin01-secretsecret"))
        #expect(!message.contains("secretsecret"))
    }

    @Test("a file that cannot be read is named")
    func unreadable() {
        #expect(throws: ConfigurationProblem("cannot read the settings file '/nonexistent/streamer.conf'")) {
            try SettingsFile.load(path: "/nonexistent/streamer.conf")
        }
    }
}
