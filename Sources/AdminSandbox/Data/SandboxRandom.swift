/// A small deterministic generator (SplitMix64) seeded from a tuple of numbers, so every generated value is
/// a pure function of (seed, stream, day, index, revision).
struct SandboxRandom {
    private var state: UInt64

    /// A generator for these inputs; different inputs give unrelated sequences.
    init(_ parts: UInt64...) {
        var hash: UInt64 = 0x243F_6A88_85A3_08D3
        for part in parts {
            hash = Self.mix(hash ^ part)
        }
        state = hash
    }

    /// One SplitMix64 finalisation step.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A day as a seed input.
    static func part(_ value: Int) -> UInt64 { UInt64(bitPattern: Int64(value)) }

    /// The next 64 random bits.
    mutating func next() -> UInt64 {
        state = state &+ 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// A uniform integer in `range` (modulo bias is irrelevant here).
    mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// `true` with probability `percent` / 100.
    mutating func chance(percent: Int) -> Bool {
        next() % 100 < UInt64(percent)
    }

    /// One element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[Int(next() % UInt64(elements.count))]
    }

    private static let base58: [Character] = Array("123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz")

    /// `count` base58 characters, as in Anthropic ids (`user_01WCz1FkmYMm4gnmykNKUu3Q`).
    mutating func base58(count: Int) -> String {
        var text = ""
        text.reserveCapacity(count)
        for _ in 0..<count { text.append(Self.base58[Int(next() % 58)]) }
        return text
    }
}
