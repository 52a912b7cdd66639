import AdminClient
import Testing

@testable import Streamer

@Suite struct DurationParserTests {
    @Test(
        "durations read as people write them",
        arguments: [
            ("90", Duration.seconds(90)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
            ("250ms", .milliseconds(250)), ("0.3s", .milliseconds(300)), ("8760h", .seconds(365 * 86_400)),
        ])
    func durations(text: String, expected: Duration) throws {
        #expect(try DurationParser.parse(text, option: "--poll-interval") == expected)
    }

    @Test(
        "numbers out of range are a configuration error (exit 78) naming the option, never a crash",
        arguments: ["inf", "-inf", "infinity", "nan", "1e17h", "1e300", "1e300ms", "-5s", "8761h", "9223372036854775807", "", "soon", "5x"])
    func outOfRange(text: String) {
        do {
            let duration = try DurationParser.parse(text, option: "--poll-interval")
            Issue.record("'\(text)' parsed as \(duration)")
        } catch {
            #expect(error.code == .configuration)
            #expect(error.exitCode == 78)
            #expect(error.reason.contains("--poll-interval"))
        }
    }
}
