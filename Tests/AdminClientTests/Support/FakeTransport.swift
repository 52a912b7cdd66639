import Testing

@testable import AdminClient

/// A transport that records every request and replays scripted outcomes in order.
actor FakeTransport: HTTPTransport {
    enum Step: Sendable {
        case response(HTTPResponse)
        case failure(FakeTransportError)
    }

    private var steps: [Step]
    private(set) var requests: [HTTPRequest] = []

    init(_ steps: [Step]) {
        self.steps = steps
    }

    func get(_ request: HTTPRequest) async throws -> HTTPResponse {
        requests.append(request)
        guard !steps.isEmpty else {
            Issue.record("unexpected request \(request.url)")
            throw FakeTransportError(message: "no scripted response")
        }
        switch steps.removeFirst() {
        case .response(let response): return response
        case .failure(let error): throw error
        }
    }

    var urls: [String] { requests.map(\.url) }
    var remainingSteps: Int { steps.count }
}

struct FakeTransportError: Error, Sendable, CustomStringConvertible {
    var message: String
    var description: String { "fake transport failure: \(message)" }
}

extension FakeTransport.Step {
    /// A 200 with a JSON body and a request id.
    static func ok(_ json: String, requestID: String = "req_ok") -> Self {
        .response(HTTPResponse(status: 200, headers: ["Request-Id": requestID], body: Array(json.utf8)))
    }

    /// A status with an optional JSON body and headers.
    static func status(_ status: Int, _ body: String = "", headers: [String: String] = [:]) -> Self {
        .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    /// The documented error body.
    static func apiError(
        _ status: Int, type: String, message: String, requestID: String = "req_err", headers: [String: String] = [:]
    ) -> Self {
        var headers = headers
        headers["request-id"] = requestID
        let body = #"{"type":"error","error":{"type":"\#(type)","message":"\#(message)"},"request_id":"\#(requestID)"}"#
        return .response(HTTPResponse(status: status, headers: headers, body: Array(body.utf8)))
    }

    static func transportFailure(_ message: String = "connection refused") -> Self {
        .failure(FakeTransportError(message: message))
    }
}
