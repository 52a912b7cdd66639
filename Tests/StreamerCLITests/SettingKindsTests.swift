import Testing

@testable import StreamerCLI

/// Durations and numbers are read strictly and checked against their range before they become values, so no
/// text can overflow a conversion.
@Suite struct SettingKindsTests {
    @Test(
        "durations read as people write them",
        arguments: [
            ("90", Duration.seconds(90)), ("30s", .seconds(30)), ("5m", .seconds(300)), ("1h", .seconds(3600)),
            ("250ms", .milliseconds(250)), (" 2M ", .seconds(120)), ("1.5s", .milliseconds(1500)),
        ])
    func durations(text: String, expected: Duration) throws {
        #expect(try Setting.parseDuration(text, range: .zero...(.seconds(86_400))) == expected)
    }

    @Test(
        "huge, negative, non-finite and wordy durations are refused, not converted",
        arguments: [
            "1e300s", "-5s", "inf", "-inf", "infinity", "nan", "1e17h", "1e300", "1e300ms", "9223372036854775807",
            "5 minutes", "", "s", "soon", "5x",
        ])
    func refusedDurations(text: String) {
        #expect(throws: SettingError.self) { try Setting.parseDuration(text, range: .zero...(.seconds(86_400))) }
    }

    @Test("a duration outside its range names the range")
    func durationRange() {
        #expect(throws: SettingError(reason: "'500ms' is out of range 1s…24h")) {
            try Setting.parseDuration("500ms", range: .seconds(1)...(.seconds(86_400)))
        }
    }

    @Test("a suggestion is offered only for a close name")
    func suggestions() {
        #expect(SettingSuggestion.hint(for: "bootstrap-server") == "; did you mean bootstrap-servers?")
        #expect(SettingSuggestion.hint(for: "pool-interval") == "; did you mean poll-interval?")
        #expect(SettingSuggestion.hint(for: "colour") == "")
    }
}
