import Logging
import NIOCore
import ServiceLifecycle
import Streamer

#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The operations endpoint, with a busy port reported as one line (exit 78) instead of a raw bind error.
struct OperationsService: Service {
    let host: String
    let port: Int
    let routes: OperationsServer.Routes
    let logger: Logger

    func run() async throws {
        do {
            try await OperationsServer(host: host, port: port, routes: routes, logger: logger).run()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw StreamerError(
                code: .configuration,
                reason: "the metrics port \(port) is already in use by another process; stop it or choose another --metrics-port")
        } catch let error as IOError where error.errnoCode == EACCES {
            throw StreamerError(
                code: .configuration, reason: "not allowed to listen on the metrics port \(port); choose a port above 1023")
        }
    }
}
