/// A 64-bit FNV-1a hash, fed incrementally: how a fingerprint is computed over an event's value bytes while
/// (or after) they are written, with no copy.
public struct FNV1a: Sendable, Hashable {
    /// The hash of everything fed so far.
    public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    /// A hash of nothing yet.
    public init() {}

    /// Feeds `bytes`.
    public mutating func combine(_ bytes: some Sequence<UInt8>) {
        var hash = value
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        value = hash
    }

    /// The hash as 16 lowercase hex digits (the form checkpoints and the state topic store).
    public var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
