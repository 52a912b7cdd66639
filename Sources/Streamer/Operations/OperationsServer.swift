import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// The operations HTTP endpoint (`--metrics-port`): `/metrics` (Prometheus text format), `/health` (the
/// process is alive) and `/ready` (the Admin API and the brokers are reachable).
public struct OperationsServer: Service, CustomStringConvertible {
    /// What the endpoint serves.
    public struct Routes: Sendable {
        /// The Prometheus exposition text.
        public var metrics: @Sendable () -> [UInt8]
        /// `nil` when ready, else the reason it is not.
        public var readiness: @Sendable () async -> String?

        /// Routes from closures.
        public init(metrics: @escaping @Sendable () -> [UInt8], readiness: @escaping @Sendable () async -> String?) {
            self.metrics = metrics
            self.readiness = readiness
        }
    }

    private let host: String
    private let port: Int
    private let routes: Routes
    private let logger: Logger
    private let onBound: @Sendable (Int) -> Void

    /// A server for `host:port` (port 0 picks a free port, reported to `onBound`).
    public init(
        host: String = "0.0.0.0", port: Int, routes: Routes, logger: Logger, onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.host = host
        self.port = port
        self.routes = routes
        self.logger = logger
        self.onBound = onBound
    }

    /// Serves until cancelled or gracefully shut down.
    public func run() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 64)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        onBound(server.channel.localAddress?.port ?? port)
        logger.info("Operations endpoint listening", metadata: ["http.port": "\(server.channel.localAddress?.port ?? port)"])
        do {
            try await cancelWhenGracefulShutdown {
                try await withThrowingDiscardingTaskGroup { group in
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await handle(connection) }
                        }
                    }
                }
            }
        } catch is CancellationError {
            // Shutting down: a normal end.
        }
    }

    public var description: String { "OperationsServer(port: \(port))" }

    private func handle(_ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>) async {
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
}
