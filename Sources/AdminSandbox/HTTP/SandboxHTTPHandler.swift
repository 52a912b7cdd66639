import NIOCore
import NIOHTTP1

/// Reads one HTTP/1.1 request at a time (the pipeline's pipelining assistance holds the next one back),
/// asks the sandbox for the answer and writes it, keeping the connection open when the client asked to.
final class SandboxHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let api: SandboxAdminAPI
    private var head: HTTPRequestHead?

    init(api: SandboxAdminAPI) {
        self.api = api
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break  // GET endpoints only; bodies are ignored.
        case .end:
            guard let head else { return }
            self.head = nil
            let request = SandboxHTTPRequest(
                method: head.method.rawValue, uri: head.uri,
                headers: head.headers.map { (name: $0.name, value: $0.value) })
            let api = self.api
            let promise = context.eventLoop.makePromise(of: SandboxHTTPResponse.self)
            promise.completeWithTask { await api.respond(to: request) }
            promise.futureResult.assumeIsolated().whenSuccess { response in
                self.write(response, for: head, context: context)
            }
        }
    }

    private func write(_ response: SandboxHTTPResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        let keepAlive = request.isKeepAlive
        var headers = HTTPHeaders()
        for header in response.headers { headers.add(name: header.name, value: header.value) }
        headers.add(name: "content-length", value: String(response.body.count))
        headers.add(name: "connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(
            version: request.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: written)
        if !keepAlive {
            written.futureResult.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
