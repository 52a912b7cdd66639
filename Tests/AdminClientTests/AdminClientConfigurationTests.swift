import Foundation
import Testing

@testable import AdminClient

@Suite struct AdminClientConfigurationTests {
    @Test("the defaults are the documented ones and valid")
    func defaults() throws {
        let configuration = AdminClientConfiguration()
        #expect(configuration.baseURL == "https://api.anthropic.com")
        #expect(configuration.timeouts.request == .seconds(60))
        #expect(configuration.retry.maxAttempts == 8)
        #expect(configuration.retry.initialBackoff == .milliseconds(500))
        #expect(configuration.retry.maxBackoff == .seconds(30))
        #expect(configuration.retry.maxRetryAfter == .seconds(60))
        #expect(configuration.retry.deadline == .seconds(600))
        #expect(AdminClientConfiguration.Retry.none.maxAttempts == 1)
        #expect(
            configuration.userAgent
                == "anthropic-admin-kafka-streamer/\(AdminClientVersion.current) (+https://github.com/anthropic-admin-kafka-streamer)")
        try configuration.validate()
    }

    @Test(
        "invalid settings are rejected with .invalidConfiguration",
        arguments: [
            { (c: inout AdminClientConfiguration) in c.baseURL = "ftp://api.anthropic.com" },
            { $0.baseURL = "api.anthropic.com" },
            { $0.baseURL = "https://" },
            { $0.baseURL = "https://api.anthropic.com?x=1" },
            { $0.timeouts.request = .zero },
            { $0.retry.maxAttempts = 0 },
            { $0.retry.initialBackoff = .seconds(-1) },
            { $0.retry.maxBackoff = .milliseconds(100) },
            { $0.retry.deadline = .zero },
            { $0.userAgent = "a\r\nx-api-key: b" },
        ] as [@Sendable (inout AdminClientConfiguration) -> Void])
    func invalid(change: @Sendable (inout AdminClientConfiguration) -> Void) {
        var configuration = AdminClientConfiguration()
        change(&configuration)
        #expect(throws: AdminClientError.self) { try configuration.validate() }
        do {
            _ = try Harness([]) { change(&$0) }
            Issue.record("the client accepted an invalid configuration")
        } catch {
            #expect((error as? AdminClientError)?.code == .invalidConfiguration)
        }
    }

    @Test("http and https base URLs with paths or ports are accepted")
    func validURLs() throws {
        for url in ["http://127.0.0.1:8080", "HTTPS://api.anthropic.com/", "http://localhost:1/prefix"] {
            var configuration = AdminClientConfiguration()
            configuration.baseURL = url
            try configuration.validate()
        }
    }
}

@Suite struct RetryAfterTests {
    @Test("HTTP-dates parse as UTC")
    func httpDate() {
        let date = RetryAfter.parseHTTPDate("Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(date?.timeIntervalSince1970 == 784_111_777)
        #expect(RetryAfter.parseHTTPDate("Sunday, 06-Nov-94 08:49:37 GMT") == nil)
    }

    @Test("unreadable or past hints give no wait or zero")
    func odd() {
        let now = Harness.wallClock
        #expect(RetryAfter.delay(in: ["retry-after": "soon"], now: now, maximum: .seconds(60)) == nil)
        #expect(RetryAfter.delay(in: [:], now: now, maximum: .seconds(60)) == nil)
        #expect(RetryAfter.delay(in: ["retry-after": "-3"], now: now, maximum: .seconds(60)) == .zero)
        #expect(RetryAfter.delay(in: ["retry-after": "Sun, 06 Nov 1994 08:49:37 GMT"], now: now, maximum: .seconds(60)) == .zero)
    }

    @Test(
        "hostile hints never crash: huge ones wait the cap, non-numbers are ignored",
        arguments: [
            (["retry-after-ms": "1e30"], Duration?.some(.seconds(60))),
            (["retry-after": "1e30"], .some(.seconds(60))),
            (["retry-after": "1e300"], .some(.seconds(60))),
            (["retry-after": "9223372036854775807"], .some(.seconds(60))),
            (["retry-after-ms": "-1e30"], .some(.zero)),
            (["retry-after-ms": "inf"], nil),
            (["retry-after-ms": "-inf"], nil),
            (["retry-after-ms": "nan"], nil),
            (["retry-after": "inf"], nil),
            (["retry-after": "nan"], nil),
            (["retry-after-ms": "nan", "retry-after": "2"], .some(.seconds(2))),
            (["retry-after": "Sun, 06 Nov 99999999999999999 08:49:37 GMT"], nil),
            (["retry-after": "Sun, 06 Nov 9999 08:49:37 GMT"], .some(.seconds(60))),
        ])
    func hostile(headers: [String: String], expected: Duration?) {
        #expect(RetryAfter.delay(in: headers, now: Harness.wallClock, maximum: .seconds(60)) == expected)
    }
}
