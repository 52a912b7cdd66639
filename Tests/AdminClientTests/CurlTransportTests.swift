import Foundation
import Testing

@testable import AdminClient

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct CurlTransportTests {
    @Test("a GET sends the headers and returns status, lower-cased headers and body")
    func roundTrip() async throws {
        let body = #"{"id":"org-1","type":"organization","name":"Acme"}"#
        let server = try LoopbackServer { _ in
            LoopbackServer.ok(Array(body.utf8), headers: ["Content-Type: application/json", "Request-Id: req_loop"])
        }
        let transport = CurlTransport()
        let response = try await transport.get(
            HTTPRequest(
                url: "http://127.0.0.1:\(server.port)/v1/organizations/me?x=1",
                headers: [("x-api-key", "sk-ant-admin01-test"), ("anthropic-version", "2023-06-01")],
                timeout: .seconds(10)))
        #expect(response.status == 200)
        #expect(response.headers["request-id"] == "req_loop")
        #expect(response.body == Array(body.utf8))
        var requests = server.requests.makeAsyncIterator()
        let request = try #require(await requests.next()).lowercased()
        #expect(request.hasPrefix("get /v1/organizations/me?x=1 http/1.1"))
        #expect(request.contains("x-api-key: sk-ant-admin01-test"))
        #expect(request.contains("anthropic-version: 2023-06-01"))
    }

    @Test("an error status is a response, not a transport failure: status, headers and body come back")
    func errorStatus() async throws {
        let body = Array(#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#.utf8)
        let server = try LoopbackServer { _ in
            Array("HTTP/1.1 529 Overloaded\r\nRetry-After: 3\r\nContent-Length: \(body.count)\r\n\r\n".utf8) + body
        }
        let response = try await CurlTransport().get(
            HTTPRequest(url: "http://127.0.0.1:\(server.port)/v1/organizations/me", headers: [], timeout: .seconds(10)))
        #expect(response.status == 529)
        #expect(response.headers["retry-after"] == "3")
        #expect(response.body == body)
    }

    @Test("a redirect is returned, not followed")
    func noRedirect() async throws {
        let server = try LoopbackServer { _ in
            Array("HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n\r\n".utf8)
        }
        let transport = CurlTransport()
        let response = try await transport.get(
            HTTPRequest(url: "http://127.0.0.1:\(server.port)/v1/organizations/me", headers: [], timeout: .seconds(10)))
        #expect(response.status == 302)
    }

    @Test("a refused connection throws a transport error")
    func refused() async throws {
        // A bound socket that never listens: connecting to its port is refused.
        let (fd, port) = try LoopbackServer.boundSocket()
        defer { close(fd) }
        let transport = CurlTransport()
        let error = await #expect(throws: TransportFailure.self) {
            _ = try await transport.get(
                HTTPRequest(
                    url: "http://127.0.0.1:\(port)/v1/organizations/me", headers: [("x-api-key", Self.key)],
                    timeout: .seconds(5)))
        }
        #expect(error?.code == .connectionRefused)
        #expect(error?.description.hasPrefix("connection refused") == true)
        #expect(error?.description.contains(Self.key) == false)
    }

    static let key = "sk-ant-admin01-secret-never-printed"

    @Test("requests to one host reuse one kept-alive connection, across transports")
    func keepAlive() async throws {
        let server = try LoopbackServer { _ in LoopbackServer.ok(Array(#"{"ok":true}"#.utf8)) }
        for transport in [CurlTransport(), CurlTransport(), CurlTransport()] {
            let response = try await transport.get(
                HTTPRequest(url: "http://127.0.0.1:\(server.port)/v1/organizations/me", headers: [], timeout: .seconds(10)))
            #expect(response.status == 200)
            #expect(response.body == Array(#"{"ok":true}"#.utf8))
        }
        #expect(server.connections == 1)
    }

    /// `{"data":[{"id":"gz"}],"has_more":false}`, gzip-compressed.
    static let gzipped: [UInt8] = [
        0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x03, 0xab, 0x56, 0x4a, 0x49, 0x2c, 0x49, 0x54, 0xb2,
        0x8a, 0xae, 0x56, 0xca, 0x4c, 0x51, 0xb2, 0x52, 0x4a, 0xaf, 0x52, 0xaa, 0x8d, 0xd5, 0x51, 0xca, 0x48, 0x2c,
        0x8e, 0xcf, 0xcd, 0x2f, 0x4a, 0x55, 0xb2, 0x4a, 0x4b, 0xcc, 0x29, 0x4e, 0xad, 0x05, 0x00, 0x0f, 0xdd, 0x00,
        0x6a, 0x27, 0x00, 0x00, 0x00,
    ]

    @Test("gzip is asked for and a gzip body comes back inflated")
    func gzip() async throws {
        let server = try LoopbackServer { _ in LoopbackServer.ok(Self.gzipped, headers: ["Content-Encoding: gzip"]) }
        let response = try await CurlTransport().get(
            HTTPRequest(url: "http://127.0.0.1:\(server.port)/v1/organizations/users", headers: [], timeout: .seconds(10)))
        #expect(response.body == Array(#"{"data":[{"id":"gz"}],"has_more":false}"#.utf8))
        var requests = server.requests.makeAsyncIterator()
        let head = try #require(await requests.next()).lowercased()
        #expect(head.contains("accept-encoding: gzip"))
    }

    @Test("an attempt that gets no answer within its timeout fails as timed out")
    func timeout() async throws {
        let server = try LoopbackServer { _ in nil }
        let error = await #expect(throws: TransportFailure.self) {
            _ = try await CurlTransport().get(
                HTTPRequest(
                    url: "http://127.0.0.1:\(server.port)/v1/organizations/me", headers: [("x-api-key", Self.key)],
                    timeout: .milliseconds(200)))
        }
        #expect(error?.code == .timedOut)
        #expect(error?.description.contains(Self.key) == false)
    }

    @Test("cancelling the task aborts the transfer with CancellationError")
    func cancellation() async throws {
        let server = try LoopbackServer { _ in nil }
        let request = Task {
            try await CurlTransport().get(
                HTTPRequest(url: "http://127.0.0.1:\(server.port)/v1/organizations/me", headers: [], timeout: .seconds(600)))
        }
        var requests = server.requests.makeAsyncIterator()
        _ = await requests.next()
        request.cancel()
        await #expect(throws: CancellationError.self) { _ = try await request.value }
    }

    @Test("a task cancelled before the request starts sends nothing")
    func cancelledBeforeStart() async throws {
        let server = try LoopbackServer { _ in LoopbackServer.ok([]) }
        let request = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await CurlTransport().get(
                HTTPRequest(url: "http://127.0.0.1:\(server.port)/", headers: [], timeout: .seconds(10)))
        }
        await #expect(throws: CancellationError.self) { _ = try await request.value }
        #expect(server.connections == 0)
    }

    @Test("a header value with a line break is refused before anything is sent")
    func headerInjection() async throws {
        let error = await #expect(throws: TransportFailure.self) {
            _ = try await CurlTransport().get(
                HTTPRequest(url: "http://127.0.0.1:1/", headers: [("x-api-key", "a\r\nx-evil: 1")], timeout: .seconds(1)))
        }
        #expect(error?.code == .invalidRequest)
        #expect(error?.description.contains("x-evil") == false)
    }

    @Test("a response body past the limit fails the attempt")
    func bodyLimit() async throws {
        let server = try LoopbackServer { _ in LoopbackServer.ok([UInt8](repeating: 0x20, count: 10_000)) }
        var transport = CurlTransport()
        transport.maximumBodyBytes = 1_000
        let error = await #expect(throws: TransportFailure.self) {
            _ = try await transport.get(
                HTTPRequest(url: "http://127.0.0.1:\(server.port)/", headers: [], timeout: .seconds(10)))
        }
        #expect(error?.code == .bodyTooLarge)
    }

    @Test("many concurrent requests through one transport all complete")
    func concurrent() async throws {
        let server = try LoopbackServer { head in
            LoopbackServer.ok(Array(head.split(separator: " ")[1].utf8))
        }
        let transport = CurlTransport()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<32 {
                group.addTask {
                    let response = try await transport.get(
                        HTTPRequest(url: "http://127.0.0.1:\(server.port)/r\(index)", headers: [], timeout: .seconds(30)))
                    #expect(response.body == Array("/r\(index)".utf8))
                }
            }
            try await group.waitForAll()
        }
    }
}
