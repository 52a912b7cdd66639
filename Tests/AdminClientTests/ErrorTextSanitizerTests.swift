import Testing

@testable import AdminClient

/// Text from a hostile or broken API reaches errors and logs only sanitised.
@Suite struct ErrorTextSanitizerTests {
    @Test("control characters are removed; line breaks become one space, so no log line can be forged")
    func controlCharacters() {
        let text = "bad request\r\n2026-01-01T00:00:00Z level=info msg=\"all good\"\u{1B}[31m\u{0}\u{7F}\u{85}\u{2028}x\u{202E}y"
        let clean = ErrorTextSanitizer.sanitize(text)
        #expect(clean == "bad request 2026-01-01T00:00:00Z level=info msg=\"all good\"[31m xy")
        #expect(!clean.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) })
        #expect(!clean.contains("\u{202E}") && !clean.contains("\u{2028}"))
    }

    @Test("length is capped at 300 characters, ending in an ellipsis")
    func lengthCapped() {
        let clean = ErrorTextSanitizer.sanitize(String(repeating: "too long ", count: 10_000))
        #expect(clean.count == 300)
        #expect(clean.hasSuffix("…"))
        #expect(ErrorTextSanitizer.sanitize("short") == "short")
    }

    @Test(
        "anything shaped like a key or token is redacted",
        arguments: [
            "invalid x-api-key: sk-ant-admin01-AbCdEf0123456789_xyz-QQ",
            "proxy echoed sk-ant-api03-ZZZZZZZZ",
            "Authorization: Bearer abc.def.ghi",
            "header authorization=Basic dXNlcjpwYXNz",
            #"{"x-api-key":"notobviouslysecret"}"#,
            "api_key=hunter2hunter2",
            "session token: 0123456789abcdef0123456789abcdef01",
            "digest 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08 mismatch",
            "secret = correct-horse",
        ])
    func tokensRedacted(text: String) {
        let clean = ErrorTextSanitizer.sanitize(text)
        #expect(clean.contains("<redacted>"))
        for secret in [
            "sk-ant-", "abc.def.ghi", "dXNlcjpwYXNz", "notobviouslysecret", "hunter2", "0123456789abcdef",
            "9f86d081884c", "correct-horse",
        ] {
            #expect(!clean.contains(secret))
        }
    }

    @Test(
        "ordinary messages are left alone",
        arguments: [
            "starting_at must be before ending_at",
            "rate limit exceeded; see https://docs.anthropic.com/en/api/rate-limits",
            "workspace wrkspc_01 not found (request req_011CSHoEeqs5C35K2UUqR7Fy)",
            "the token budget is exhausted",
        ])
    func ordinaryKept(text: String) {
        #expect(ErrorTextSanitizer.sanitize(text) == text)
    }

    @Test("a known secret is redacted wherever it appears, even without a tell-tale shape")
    func knownSecret() {
        let clean = ErrorTextSanitizer.sanitize("you sent plainpassword99 again", knownSecrets: ["plainpassword99"])
        #expect(clean == "you sent <redacted> again")
    }

    @Test("an API error that echoes the key and forges a line reaches the error and the logs clean")
    func clientErrorSanitized() async throws {
        let harness = try Harness([
            .apiError(
                400, type: "invalid_request_error",
                message: "bad header x-api-key: \(TestKeys.secret)\\nlevel=critical msg=forged"),
        ])
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(!error.reason.contains(TestKeys.secret))
        #expect(!error.reason.contains("sk-ant-"))
        #expect(!error.reason.contains("\n"))
        #expect(error.reason.contains("<redacted>"))
        #expect(error.reason.contains("level=critical msg=forged"))  // still readable, on the same line
    }

    @Test("a hostile request-id header is dropped, a normal one kept")
    func requestIDs() {
        #expect(AdminClient.plausibleRequestID("req_011CSHoEeqs5C35K2UUqR7Fy") == "req_011CSHoEeqs5C35K2UUqR7Fy")
        #expect(AdminClient.plausibleRequestID("req_1\nlevel=critical") == nil)
        #expect(AdminClient.plausibleRequestID(TestKeys.secret) == nil)
        #expect(AdminClient.plausibleRequestID(String(repeating: "a", count: 129)) == nil)
    }

    @Test("a transport error's text is sanitised too")
    func transportErrorSanitized() async throws {
        let harness = try Harness([.transportFailure("refused\nBearer sekrit-token-value")]) { $0.retry = .none }
        let error = try #require(await harness.readError(.users, .snapshot))
        #expect(error.code == .transport)
        #expect(!error.reason.contains("sekrit"))
        #expect(!error.reason.contains("\n"))
    }
}
