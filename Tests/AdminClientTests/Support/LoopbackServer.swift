import Foundation
import Synchronization

@testable import AdminClient

#if canImport(Glibc)
    import Glibc
#endif

/// An HTTP/1.1 server on 127.0.0.1 that keeps connections alive: each request on each connection is
/// answered with `respond(request)`'s bytes, or (`nil`) never answered. Counts connections accepted, and
/// reports each request as it arrives. Blocking socket calls run on its own threads.
final class LoopbackServer: Sendable {
    let port: Int
    /// Every request's head (request line and headers), in arrival order.
    let requests: AsyncStream<String>
    private let listener: Int32
    private let state = ServerState()

    /// What the accepting thread shares with the test: connections accepted, their sockets.
    private final class ServerState: Sendable {
        struct Fields {
            var connections = 0
            var sockets: [Int32] = []
        }
        let fields = Mutex(Fields())
        func withLock<T: Sendable>(_ body: (inout Fields) -> T) -> T { fields.withLock { body(&$0) } }
    }

    init(respond: @escaping @Sendable (String) -> [UInt8]?) throws {
        let (fd, port) = try Self.boundSocket()
        guard listen(fd, 128) == 0 else {
            close(fd)
            throw FakeTransportError(message: "listen")
        }
        self.port = port
        listener = fd
        let (requests, arrived) = AsyncStream.makeStream(of: String.self)
        self.requests = requests
        let state = self.state
        Thread.detachNewThread {
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else {
                    // Shut down by deinit: closed here, so no accept ever runs on a reused number.
                    close(fd)
                    return
                }
                state.withLock {
                    $0.connections += 1
                    $0.sockets.append(connection)
                }
                Thread.detachNewThread {
                    Self.serve(connection, respond: respond, arrived: arrived)
                    // Forgotten before it is closed: deinit must never shut down a number the system has
                    // already given to another socket (another test's listener).
                    state.withLock { $0.sockets.removeAll { $0 == connection } }
                    close(connection)
                }
            }
        }
    }

    deinit {
        shutdown(listener, Int32(SHUT_RDWR))
        state.withLock { fields in
            for socket in fields.sockets { shutdown(socket, Int32(SHUT_RDWR)) }
        }
    }

    /// A TCP socket bound to a free port of 127.0.0.1, not listening yet (connecting to it is refused until it
    /// listens); the caller closes it.
    static func boundSocket() throws -> (descriptor: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FakeTransportError(message: "socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard bound == 0 else {
            close(fd)
            throw FakeTransportError(message: "bind")
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// Connections accepted so far.
    var connections: Int { state.withLock { $0.connections } }

    private static func serve(
        _ connection: Int32, respond: @Sendable (String) -> [UInt8]?, arrived: AsyncStream<String>.Continuation
    ) {
        var one: Int32 = 1
        setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        let end = Array("\r\n\r\n".utf8)
        while true {
            while pending.firstRange(of: end) == nil {
                let count = read(connection, &buffer, buffer.count)
                if count <= 0 { return }
                pending += buffer[0..<count]
            }
            guard let range = pending.firstRange(of: end) else { return }
            let head = String(decoding: pending[..<range.lowerBound], as: UTF8.self)
            pending.removeSubrange(..<range.upperBound)
            arrived.yield(head)
            guard let response = respond(head) else { continue }
            _ = response.withUnsafeBytes { write(connection, $0.baseAddress, response.count) }
        }
    }

    /// A `200 OK` with `body` and the given extra header lines, kept alive.
    static func ok(_ body: [UInt8], headers: [String] = []) -> [UInt8] {
        let head = (["HTTP/1.1 200 OK", "Content-Length: \(body.count)"] + headers).joined(separator: "\r\n") + "\r\n\r\n"
        return Array(head.utf8) + body
    }
}
