import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The operations HTTP endpoint (`--metrics-port`): `/metrics` (Prometheus text format), `/health` (the
/// process is alive) and `/ready` (the Admin API and the brokers are reachable).
///
/// Hardened for a shared host: it binds loopback unless told otherwise (``Configuration/host``), closes a
/// connection idle for ``Configuration/idleTimeout`` and closes at once any connection beyond
/// ``Configuration/maxConnections``. `/ready` asks ``Routes/readiness`` per request, which must be cheap: the
/// streamer's answers from a broker check refreshed in the background.
public struct OperationsServer: Service, CustomStringConvertible {
    /// Where and how the endpoint serves.
    public struct Configuration: Sendable, Hashable {
        /// The address to bind (`--metrics-host`). `0.0.0.0` exposes the endpoint to the network (as a
        /// container must, behind a published port).
        /// Default: `127.0.0.1` (loopback only).
        public var host: String = "127.0.0.1"
        /// The port (`--metrics-port`); `0` picks a free one.
        public var port: Int
        /// A connection with no byte read or written for this long is closed.
        /// Default: 30 seconds.
        public var idleTimeout: Duration = .seconds(30)
        /// The most connections open at once; a connection beyond it is closed as soon as it is accepted.
        /// Default: 64.
        public var maxConnections: Int = 64
        /// A configuration for `port` with every other default.
        ///
        /// - Parameter port: the port, `0` for a free one.
        public init(port: Int) {
            self.port = port
        }

        /// Checks every range.
        ///
        /// - Throws: ``StreamerError/Code/configuration`` naming the setting.
        public func validate() throws(StreamerError) {
            func fail(_ reason: String) -> StreamerError { StreamerError(code: .configuration, reason: reason) }
            if host.isEmpty || host.count > 253
                || host.contains(where: { $0.isWhitespace || $0 == "/" || $0 == "@" || $0 == "?" || $0 == "#" })
            {
                throw fail("--metrics-host must be an address or host name, e.g. 127.0.0.1 or 0.0.0.0")
            }
            if !(0...65535).contains(port) { throw fail("--metrics-port must be between 0 and 65535") }
            if idleTimeout < .milliseconds(10) || idleTimeout > .seconds(3600) {
                throw fail("the operations idle timeout must be between 10 ms and 1 hour")
            }
            if !(1...10_000).contains(maxConnections) {
                throw fail("the operations connection limit must be between 1 and 10000")
            }
        }
    }

    /// What the endpoint serves.
    public struct Routes: Sendable {
        /// The Prometheus exposition text.
        public var metrics: @Sendable () -> [UInt8]
        /// `nil` when ready, else the reason it is not. Called for every `/ready` request: it must answer from
        /// state, not by contacting the brokers.
        public var readiness: @Sendable () async -> String?

        /// Routes from closures.
        public init(metrics: @escaping @Sendable () -> [UInt8], readiness: @escaping @Sendable () async -> String?) {
            self.metrics = metrics
            self.readiness = readiness
        }
    }

    private let configuration: Configuration
    private let routes: Routes
    private let logger: Logger
    private let onBound: @Sendable (Int) -> Void

    /// A server with `configuration` (call its `validate()` first; an invalid one fails in ``run()``).
    ///
    /// - Parameters:
    ///   - configuration: host, port and limits.
    ///   - routes: what it serves.
    ///   - logger: where the listening line and connection errors go.
    ///   - onBound: called with the bound port (useful with port 0).
    public init(
        configuration: Configuration, routes: Routes, logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.routes = routes
        self.logger = logger
        self.onBound = onBound
    }

    /// A server for `host:port` with the default limits (port 0 picks a free port, reported to `onBound`).
    ///
    /// - Parameters:
    ///   - host: the address to bind; loopback by default.
    ///   - port: the port.
    ///   - routes: what it serves.
    ///   - logger: where the listening line and connection errors go.
    ///   - onBound: called with the bound port.
    public init(
        host: String = "127.0.0.1", port: Int, routes: Routes, logger: Logger,
        onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        var configuration = Configuration(port: port)
        configuration.host = host
        self.init(configuration: configuration, routes: routes, logger: logger, onBound: onBound)
    }

    /// Serves until cancelled or gracefully shut down.
    ///
    /// - Throws: ``StreamerError`` for an invalid configuration; NIO's error when the address cannot be bound.
    public func run() async throws {
        try configuration.validate()
        let limiter = ConnectionLimiter(maximum: configuration.maxConnections)
        let idleTimeout = TimeAmount.nanoseconds(Self.nanoseconds(configuration.idleTimeout))
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture { () -> Connection? in
                    guard limiter.admit(channel) else {
                        channel.close(promise: nil)
                        return nil
                    }
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idleTimeout))
                    try channel.pipeline.syncOperations.addHandler(CloseWhenIdleHandler())
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        onBound(port)
        logger.info(
            "Operations endpoint listening",
            metadata: ["http.host": "\(configuration.host)", "http.port": "\(port)"])
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            guard let connection else { continue }
                            group.addTask { await handle(connection) }
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Shutting down: a normal end.
        }
    }

    public var description: String { "OperationsServer(\(configuration.host):\(configuration.port))" }

    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    private func handle(_ connection: Connection) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead): head = requestHead
                    case .body: break
                    case .end:
                        guard let request = head else { continue }
                        let (status, contentType, body) = await respond(to: request)
                        var headers = HTTPHeaders()
                        headers.add(name: "content-type", value: contentType)
                        headers.add(name: "content-length", value: String(body.count))
                        try await outbound.write(.head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
                        try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
                        try await outbound.write(.end(nil))
                        if !request.isKeepAlive { return }
                    }
                }
            }
        } catch {
            logger.debug("Operations connection ended", metadata: ["error": "\(error)"])
        }
    }

    private func respond(to request: HTTPRequestHead) async -> (HTTPResponseStatus, String, [UInt8]) {
        let path = request.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? request.uri
        switch path {
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", routes.metrics())
        case "/health", "/healthz":
            return (.ok, "text/plain; charset=utf-8", Array("ok\n".utf8))
        case "/ready", "/readyz":
            if let reason = await routes.readiness() {
                return (.serviceUnavailable, "text/plain; charset=utf-8", Array("not ready: \(reason)\n".utf8))
            }
            return (.ok, "text/plain; charset=utf-8", Array("ready\n".utf8))
        default:
            return (.notFound, "text/plain; charset=utf-8", Array("not found; try /metrics, /health or /ready\n".utf8))
        }
    }

    /// Whole nanoseconds of a validated (at most one hour) duration.
    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}

/// Counts open connections across the event loops, admitting at most `maximum`.
///
/// Accepting happens on NIO's event loop threads, synchronously, so the count is an `Atomic`, not an actor.
final class ConnectionLimiter: Sendable {
    private let open = Atomic<Int>(0)
    private let maximum: Int

    init(maximum: Int) {
        self.maximum = maximum
    }

    /// Counts `channel` until it closes; `false` when it is one too many (the caller closes it).
    func admit(_ channel: any Channel) -> Bool {
        let count = open.add(1, ordering: .relaxed).newValue
        channel.closeFuture.whenComplete { _ in self.open.subtract(1, ordering: .relaxed) }
        return count <= maximum
    }
}

/// Closes the connection when `IdleStateHandler` reports it idle.
private final class CloseWhenIdleHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}
