import Foundation
import Logging
import NIOCore
import NIOPosix
import Synchronization
import Testing

@testable import Streamer

/// The operations endpoint holds up against a curious or hostile neighbour: loopback by default, idle
/// connections closed, a connection cap, and `/ready` that never turns requests into broker requests.
@Suite(.timeLimit(.minutes(2))) struct OperationsServerTests {
    @Test("it binds 127.0.0.1 unless told otherwise")
    func loopbackByDefault() throws {
        #expect(OperationsServer.Configuration(port: 9464).host == "127.0.0.1")
        #expect(OperationsServer(port: 9464, routes: Self.routes(), logger: Self.logger).description == "OperationsServer(127.0.0.1:9464)")
    }

    @Test("its limits are validated", arguments: [
        { (c: inout OperationsServer.Configuration) in c.host = "" },
        { (c: inout OperationsServer.Configuration) in c.host = "0.0.0.0 evil" },
        { (c: inout OperationsServer.Configuration) in c.port = 70_000 },
        { (c: inout OperationsServer.Configuration) in c.idleTimeout = .zero },
        { (c: inout OperationsServer.Configuration) in c.maxConnections = 0 },
    ] as [@Sendable (inout OperationsServer.Configuration) -> Void])
    func validated(change: @Sendable (inout OperationsServer.Configuration) -> Void) {
        var configuration = OperationsServer.Configuration(port: 0)
        change(&configuration)
        #expect(throws: StreamerError.self) { try configuration.validate() }
    }

    @Test("a connection that sends nothing is closed after the idle timeout")
    func idleClosed() async throws {
        var configuration = OperationsServer.Configuration(port: 0)
        configuration.idleTimeout = .milliseconds(300)
        try await Self.serve(configuration) { port in
            try await RawConnection.with(port) { connection in
                let started = ContinuousClock.now
                // Returns only when the server closes it.
                try await connection.waitUntilClosed()
                let waited = ContinuousClock.now - started
                print("operations idle connection closed after \(waited) (idle timeout 300 ms)")
            }
        }
    }

    @Test("a connection beyond the cap is closed at once, and the connections within it still answer /health")
    func connectionCap() async throws {
        var configuration = OperationsServer.Configuration(port: 0)
        configuration.maxConnections = 3
        try await Self.serve(configuration) { port in
            try await RawConnection.with(port, count: 3) { held in
                for connection in held {
                    // A full exchange proves the server accepted (and counted) it; keep-alive keeps it open.
                    #expect(try await connection.get("/health").hasPrefix("HTTP/1.1 200"))
                }
                try await RawConnection.with(port) { extra in
                    try await extra.waitUntilClosed()  // closed by the server without a byte
                }
                #expect(try await held[0].get("/health").hasPrefix("HTTP/1.1 200"), "connections within the cap still answer")

                // A freed slot is reused: the server may see the close a moment later, so a refused attempt is
                // retried.
                try await held[2].close()
                var answered = false
                for _ in 0..<200 where !answered {
                    answered = try await RawConnection.with(port) { connection in
                        (try? await connection.get("/health"))?.hasPrefix("HTTP/1.1 200") == true
                    }
                }
                #expect(answered)
            }
        }
    }

    @Test("/ready answers what the readiness route says, per request")
    func readinessRoute() async throws {
        let ready = SharedCounter()
        let routes = OperationsServer.Routes(metrics: { [] }) { ready.value.load(ordering: .relaxed) > 0 ? nil : "starting" }
        try await Self.serve(OperationsServer.Configuration(port: 0), routes: routes) { port in
            try await RawConnection.with(port) { connection in
                let starting = try await connection.get("/ready")
                #expect(starting.hasPrefix("HTTP/1.1 503") && starting.hasSuffix("not ready: starting\n"))
                ready.value.store(1, ordering: .relaxed)
                let started = try await connection.get("/ready")
                #expect(started.hasPrefix("HTTP/1.1 200") && started.hasSuffix("\r\n\r\nready\n"))
            }
        }
    }

    static let logger = Logger(label: "operations-server-tests")

    static func routes() -> OperationsServer.Routes {
        OperationsServer.Routes(metrics: { [] }, readiness: { nil })
    }

    /// Runs a server on a free loopback port for the duration of `body`.
    static func serve(
        _ configuration: OperationsServer.Configuration, routes: OperationsServer.Routes = routes(),
        _ body: @escaping @Sendable (Int) async throws -> Void
    ) async throws {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let server = OperationsServer(configuration: configuration, routes: routes, logger: logger) {
            continuation.yield($0)
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            defer { group.cancelAll() }
            try await body(port)
        }
    }
}

/// An integer shared with `@Sendable` closures.
final class SharedCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// A plain TCP connection to the endpoint: HTTP/1.1 by hand, so a test controls exactly what is sent and when.
/// Lives inside ``with(_:_:)``; used by one task at a time.
final class RawConnection {
    private let channel: any Channel
    private var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>

    private init(
        channel: any Channel, inbound: NIOAsyncChannelInboundStream<ByteBuffer>, outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    ) {
        self.channel = channel
        self.inbound = inbound.makeAsyncIterator()
        self.outbound = outbound
    }

    /// Connects to `port`, runs `body`, then closes the connection.
    static func with<T>(_ port: Int, _ body: (RawConnection) async throws -> T) async throws -> T {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await body(RawConnection(channel: channel.channel, inbound: inbound, outbound: outbound))
        }
    }

    /// `count` connections at once, all open for the duration of `body`.
    static func with<T>(_ port: Int, count: Int, _ body: ([RawConnection]) async throws -> T) async throws -> T {
        guard count > 0 else { return try await body([]) }
        return try await with(port) { first in
            try await with(port, count: count - 1) { rest in try await body([first] + rest) }
        }
    }

    /// One GET on this connection, returning the whole response (head and body) as text.
    func get(_ path: String) async throws -> String {
        try await outbound.write(ByteBuffer(string: "GET \(path) HTTP/1.1\r\nHost: localhost\r\n\r\n"))
        var text = ""
        while true {
            guard let buffer = try await inbound.next() else { throw ConnectionClosed() }
            text += String(buffer: buffer)
            if let headEnd = text.range(of: "\r\n\r\n") {
                let head = text[..<headEnd.lowerBound].lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                if text[headEnd.upperBound...].utf8.count >= length { return text }
            }
        }
    }

    /// Returns when the server has closed the connection; records an issue for anything it sends first.
    func waitUntilClosed() async throws {
        while let buffer = try await inbound.next() {
            Issue.record("unexpected bytes: \(String(buffer: buffer))")
        }
    }

    /// Closes the connection early.
    func close() async throws {
        try await channel.close()
    }

    struct ConnectionClosed: Error {}
}
