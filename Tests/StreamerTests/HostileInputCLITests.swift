import Testing

/// The release-binary probes of issue 14, replayed against the built `streamer`: operator input out of range is
/// exit 78 with a message, never a crash.
@Suite struct HostileInputCLITests {
    static let key = "sk-ant-admin01-" + String(repeating: "Qz7", count: 20)

    @Test(
        "out-of-range durations, rates and URLs exit 78 naming the setting",
        arguments: [
            (["--poll-interval", "inf"], [:], "--poll-interval"),
            (["--poll-interval", "1e17h"], [:], "--poll-interval"),
            (["--request-timeout", "1e300"], [:], "--request-timeout"),
            (["--snapshot-interval", "nan"], [:], "--snapshot-interval"),
            ([], ["STREAMER_POLL_INTERVAL": "inf"], "STREAMER_POLL_INTERVAL"),
            (["--requests-per-second", "inf"], [:], "--requests-per-second"),
            (["--max-pages-per-series", "0"], [:], "--max-pages-per-series"),
            ([], ["ANTHROPIC_BASE_URL": "http://api.example.com"], "--allow-insecure-http"),
        ] as [([String], [String: String], String)])
    func exit78(arguments: [String], environment: [String: String], named: String) async throws {
        let process = try StreamerProcess(
            arguments: ["check", "--bootstrap-servers", "127.0.0.1:1"] + arguments,
            environment: ["ANTHROPIC_ADMIN_KEY": Self.key].merging(environment) { $1 })
        let status = try await process.waitForExit(timeout: .seconds(60))
        #expect(status == 78, "\(process.standardError.suffix(800))")
        #expect(process.standardError.contains(named), "\(process.standardError.suffix(800))")
        #expect(!process.standardError.contains(Self.key))
    }
}
