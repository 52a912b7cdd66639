import Foundation
import Synchronization
import Testing

@testable import AdminClient

#if canImport(Glibc)
    import Glibc
#endif

/// A one-shot HTTP/1.1 server on 127.0.0.1: accepts one connection, reads one request, writes `response`.
/// Runs on its own thread (blocking socket calls stay off the cooperative pool).
final class OneShotServer: Sendable {
    let port: Int
    private let listener: Int32
    private let received = ReceivedRequest()

    init(response: String) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FakeTransportError(message: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0, listen(fd, 1) == 0 else { throw FakeTransportError(message: "bind/listen") }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        self.port = Int(UInt16(bigEndian: address.sin_port))
        self.listener = fd
        let received = self.received
        Thread.detachNewThread {
            let connection = accept(fd, nil, nil)
            guard connection >= 0 else { return }
            var one: Int32 = 1
            setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            var request: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !request.ends(with: Array("\r\n\r\n".utf8)) {
                let count = read(connection, &buffer, buffer.count)
                if count <= 0 { break }
                request += buffer[0..<count]
            }
            received.set(String(decoding: request, as: UTF8.self))
            let bytes = Array(response.utf8)
            _ = bytes.withUnsafeBytes { write(connection, $0.baseAddress, bytes.count) }
            close(connection)
        }
    }

    deinit { close(listener) }

    var request: String? { received.get() }
}

final class ReceivedRequest: Sendable {
    private let text = Mutex<String?>(nil)
    func set(_ value: String) { text.withLock { $0 = value } }
    func get() -> String? { text.withLock { $0 } }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool {
        count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix
    }
}

@Suite struct URLSessionTransportTests {
    @Test("a GET sends the headers and returns status, lower-cased headers and body")
    func roundTrip() async throws {
        let body = #"{"id":"org-1","type":"organization","name":"Acme"}"#
        let server = try OneShotServer(
            response: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nRequest-Id: req_loop\r\n"
                + "Content-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)")
        let transport = URLSessionTransport(configuration: AdminClientConfiguration())
        let response = try await transport.get(
            HTTPRequest(
                url: "http://127.0.0.1:\(server.port)/v1/organizations/me?x=1",
                headers: [("x-api-key", "sk-ant-admin01-test"), ("anthropic-version", "2023-06-01")],
                timeout: .seconds(10)))
        #expect(response.status == 200)
        #expect(response.headers["request-id"] == "req_loop")
        #expect(response.body == Array(body.utf8))
        let request = try #require(server.request).lowercased()
        #expect(request.hasPrefix("get /v1/organizations/me?x=1 http/1.1"))
        #expect(request.contains("x-api-key: sk-ant-admin01-test"))
        #expect(request.contains("anthropic-version: 2023-06-01"))
    }

    @Test("a redirect is returned, not followed")
    func noRedirect() async throws {
        let server = try OneShotServer(
            response: "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:1/elsewhere\r\nContent-Length: 0\r\n"
                + "Connection: close\r\n\r\n")
        let transport = URLSessionTransport(configuration: AdminClientConfiguration())
        let response = try await transport.get(
            HTTPRequest(url: "http://127.0.0.1:\(server.port)/v1/organizations/me", headers: [], timeout: .seconds(10)))
        #expect(response.status == 302)
    }

    @Test("a refused connection throws a transport error")
    func refused() async throws {
        // A bound socket that never listens: connecting to its port is refused.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        try #require(bound == 0)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        let port = Int(UInt16(bigEndian: address.sin_port))
        let transport = URLSessionTransport(configuration: AdminClientConfiguration())
        await #expect(throws: (any Error).self) {
            _ = try await transport.get(
                HTTPRequest(url: "http://127.0.0.1:\(port)/v1/organizations/me", headers: [], timeout: .seconds(5)))
        }
    }
}
