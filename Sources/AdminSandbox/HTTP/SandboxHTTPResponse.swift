/// An answer for the HTTP layer to write.
struct SandboxHTTPResponse: Sendable {
    let status: Int
    /// Lowercased names; `content-length` and `connection` are added by the HTTP layer.
    let headers: [(name: String, value: String)]
    let body: [UInt8]
}
