/// SplitMix64: a small, fast, seeded generator, so a fuzz run is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Mutates JSON documents the way a broken or hostile server might: flipped bits, structural bytes, bad UTF-8,
/// odd escapes and numbers, repeated keys, deep nesting, cut and spliced documents.
struct Mutator {
    var random: SplitMix64
    let seeds: [[UInt8]]

    /// Bytes that matter to a JSON parser.
    static let interestingBytes: [UInt8] = Array(#"{}[]:,"\/0123456789-+.eEtfnu ab"#.utf8) + [
        0x00, 0x09, 0x0A, 0x1F, 0x7F, 0x80, 0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF,
    ]

    /// Fragments worth inserting whole.
    static let fragments: [[UInt8]] = [
        #"\u"#, #"\ud800"#, #"\udc00"#, #"\ud83d\ude00"#, #"\u0000"#, #"\x"#, "1e999999", "-0", "0.", "1e", "-",
        "9223372036854775808", "-9223372036854775809", "1e-999999", "nul", "tru", "null", "true", "false", "\"\"",
        #""a":1,"a":2"#, #"{"k":1,"k":1}"#, #"{"data":[],"has_more":true,"next_page":"x"}"#,
        String(repeating: "[", count: 600), String(repeating: "{\"a\":", count: 600), String(repeating: "]", count: 600),
        "\"", "\\", ",", ":", "{", "}", "[", "]",
    ].map { Array($0.utf8) } + [[0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF], [0xE2, 0x82], [0xEF, 0xBB, 0xBF]]

    init(seed: UInt64, seeds: [[UInt8]]) {
        self.random = SplitMix64(seed: seed)
        self.seeds = seeds
    }

    /// A seed with one to four mutations applied.
    mutating func next() -> [UInt8] {
        var bytes = seeds[Int.random(in: 0..<seeds.count, using: &random)]
        for _ in 0..<Int.random(in: 1...4, using: &random) { mutate(&bytes) }
        return bytes
    }

    private mutating func position(in bytes: [UInt8], allowingEnd: Bool = true) -> Int {
        let upper = allowingEnd ? bytes.count : bytes.count - 1
        return upper <= 0 ? 0 : Int.random(in: 0...upper, using: &random)
    }

    private mutating func mutate(_ bytes: inout [UInt8]) {
        switch Int.random(in: 0..<8, using: &random) {
        case 0 where !bytes.isEmpty:  // flip a bit
            let at = position(in: bytes, allowingEnd: false)
            bytes[at] ^= 1 << UInt8.random(in: 0...7, using: &random)
        case 1 where !bytes.isEmpty:  // replace a byte with an interesting one
            bytes[position(in: bytes, allowingEnd: false)] = Self.interestingBytes.randomElement(using: &random)!
        case 2:  // insert an interesting byte
            bytes.insert(Self.interestingBytes.randomElement(using: &random)!, at: position(in: bytes))
        case 3:  // insert a fragment
            bytes.insert(contentsOf: Self.fragments.randomElement(using: &random)!, at: position(in: bytes))
        case 4 where !bytes.isEmpty:  // delete a range
            let start = position(in: bytes, allowingEnd: false)
            let end = min(bytes.count, start + Int.random(in: 1...16, using: &random))
            bytes.removeSubrange(start..<end)
        case 5 where !bytes.isEmpty:  // duplicate a range (repeats keys and members)
            let start = position(in: bytes, allowingEnd: false)
            let end = min(bytes.count, start + Int.random(in: 1...64, using: &random))
            bytes.insert(contentsOf: bytes[start..<end], at: position(in: bytes))
        case 6:  // truncate
            bytes.removeSubrange(position(in: bytes)...)
        default:  // splice with another seed
            let other = seeds.randomElement(using: &random)!
            let cut = position(in: bytes)
            bytes = Array(bytes[..<cut]) + other[position(in: other)...]
        }
    }
}
