import NIOCore
import NIOHTTP1
import NIOPosix

/// The listening socket and the event loop it runs on; one per started sandbox.
struct SandboxHTTPServer: Sendable {
    let group: MultiThreadedEventLoopGroup
    let channel: any Channel
    let port: Int

    /// Binds `host:port` (0 = any free port) and serves `api` there.
    static func start(host: String, port: Int, api: SandboxAdminAPI) async throws(SandboxError) -> SandboxHTTPServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(SandboxHTTPHandler(api: api))
                }
            }
        do {
            let channel = try await bootstrap.bind(host: host, port: port).get()
            guard let boundPort = channel.localAddress?.port else {
                throw SandboxError(code: .bindFailed, reason: "the socket has no local port")
            }
            return SandboxHTTPServer(group: group, channel: channel, port: boundPort)
        } catch {
            try? await group.shutdownGracefully()
            if let error = error as? SandboxError { throw error }
            throw SandboxError(code: .bindFailed, reason: "cannot listen on \(host):\(port): \(error)")
        }
    }

    /// Closes the listening socket and every open connection.
    func stop() async throws(SandboxError) {
        do {
            try? await channel.close()
            try await group.shutdownGracefully()
        } catch {
            throw SandboxError(code: .shutdownFailed, reason: "cannot shut the server down: \(error)")
        }
    }
}
