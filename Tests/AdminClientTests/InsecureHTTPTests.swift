import Testing

@testable import AdminClient

/// The key never travels in clear to another machine unless the operator says so.
@Suite struct InsecureHTTPTests {
    @Test(
        "plain http:// to loopback is accepted",
        arguments: [
            "http://127.0.0.1:8080", "http://127.1.2.3", "http://localhost:1/prefix", "HTTP://LOCALHOST",
            "http://[::1]:9000", "http://127.0.0.1",
        ])
    func loopbackAccepted(url: String) throws {
        var configuration = AdminClientConfiguration()
        configuration.baseURL = url
        try configuration.validate()
    }

    @Test(
        "plain http:// to any other host is refused, saying why and how to allow it",
        arguments: [
            "http://api.anthropic.com", "http://10.0.0.5:8080", "http://128.0.0.1", "http://127.0.0.1.evil.example",
            "http://localhost.evil.example", "http://[::2]:80", "http://0.0.0.0:8080", "http://127.0.0.256",
            "http://[::ffff:127.0.0.1]",
        ])
    func otherHostsRefused(url: String) {
        var configuration = AdminClientConfiguration()
        configuration.baseURL = url
        do {
            try configuration.validate()
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.code == .invalidConfiguration)
            #expect(error.reason.contains("plain http://"))
            #expect(error.reason.contains("not loopback"))
            #expect(error.reason.contains("--allow-insecure-http"))
        }
    }

    @Test("allowInsecureHTTP lets an operator use plain http:// anywhere; https:// needs nothing")
    func allowed() throws {
        var configuration = AdminClientConfiguration()
        configuration.baseURL = "http://proxy.internal:8080"
        configuration.allowInsecureHTTP = true
        try configuration.validate()
        configuration.allowInsecureHTTP = false
        configuration.baseURL = "https://proxy.internal:8443"
        try configuration.validate()
    }

    @Test("the client refuses to start with a plain http:// base URL to another host")
    func clientRefuses() {
        #expect(throws: AdminClientError.self) {
            _ = try Harness([]) { $0.baseURL = "http://api.anthropic.com" }
        }
    }
}
