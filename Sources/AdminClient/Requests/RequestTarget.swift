/// An endpoint path and its query items, in the order they are sent.
///
/// Query encoding (one form, everywhere): names and values are percent-encoded except RFC 3986 unreserved
/// characters (`A–Z a–z 0–9 - . _ ~`) and `:`; so `group_by[]=model` is sent as `group_by%5B%5D=model`
/// (as Go's `url.Values` does; servers decode it to `group_by[]`) and timestamps stay readable
/// (`starting_at=2025-09-01T00:00:00Z`). Path segments filled in (workspace ids) are encoded the same way
/// without `:`.
struct RequestTarget: Sendable, Hashable {
    /// The path, e.g. `/v1/organizations/workspaces/wrkspc_01/members`; also the error's `endpoint`.
    let path: String
    /// Query items in order.
    var query: [Query]

    struct Query: Sendable, Hashable {
        let name: String
        let value: String
    }

    init(path: String, query: [(name: String, value: String)] = []) {
        self.path = path
        self.query = query.map { Query(name: $0.name, value: $0.value) }
    }

    mutating func append(_ name: String, _ value: String) {
        query.append(Query(name: name, value: value))
    }

    /// The absolute URL under `baseURL` (no trailing slash).
    func url(baseURL: String) -> String {
        guard !query.isEmpty else { return baseURL + path }
        let items = query.map { Self.percentEncode($0.name, keepColon: true) + "=" + Self.percentEncode($0.value, keepColon: true) }
        return baseURL + path + "?" + items.joined(separator: "&")
    }

    /// `text` with every byte outside the unreserved set (and `:` when `keepColon`) as `%XX`.
    static func percentEncode(_ text: String, keepColon: Bool) -> String {
        let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.append(byte)
            case UInt8(ascii: ":") where keepColon:
                out.append(byte)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(byte >> 4)])
                out.append(hex[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
