/// A request as the HTTP layer hands it to the sandbox: method, decoded path and query, headers.
struct SandboxHTTPRequest: Sendable {
    let method: String
    let path: String
    let queryItems: [SandboxRequest.QueryItem]
    /// Lowercased names, in order.
    let headers: [(name: String, value: String)]

    init(method: String, uri: String, headers: [(name: String, value: String)]) {
        self.method = method
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = Self.percentDecoded(parts.first.map(String.init) ?? "/")
        var items: [SandboxRequest.QueryItem] = []
        if parts.count == 2 {
            for pair in parts[1].split(separator: "&") {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                items.append(SandboxRequest.QueryItem(
                    name: Self.percentDecoded(String(nameValue[0])),
                    value: nameValue.count == 2 ? Self.percentDecoded(String(nameValue[1])) : ""))
            }
        }
        self.queryItems = items
        self.headers = headers.map { ($0.name.lowercased(), $0.value) }
    }

    /// The first value of header `name` (lowercase).
    func header(_ name: String) -> String? {
        headers.first { $0.name == name }?.value
    }

    /// Every value of the query item `name`.
    func values(of name: String) -> [String] {
        queryItems.filter { $0.name == name }.map(\.value)
    }

    /// The last value of the query item `name`.
    func value(of name: String) -> String? {
        queryItems.last { $0.name == name }?.value
    }

    /// `%XX` decoded; `+` stays `+` (timestamps carry `+00:00` offsets); invalid escapes stay as they are.
    static func percentDecoded(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "%")) else { return text }
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2])
            {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(bytes[index])
                index += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
