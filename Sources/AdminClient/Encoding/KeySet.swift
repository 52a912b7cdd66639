import JSONSpans

/// A fixed list of names (a path trie's node keys, a table's consumed members, column names), matched against a
/// scanned key or a written name by *key word* first (`JSONSpanMap.keyWord`: length and first bytes in one
/// integer), so most names are ruled out by one integer comparison instead of a byte-by-byte one.
struct KeySet: Sendable {
    /// The names, in the order added.
    private(set) var names: [[UInt8]] = []
    private var words: [UInt64] = []
    /// Each name's tail word (`JSONSpanMap.keyTail`: its last 8 bytes): names of 8 to 15 bytes match on the two
    /// words alone.
    private var tails: [UInt64] = []
    /// Every name's bytes, one after another (`bytes[starts[index]..<starts[index + 1]]`): comparisons read
    /// these without retaining a name's own array.
    private var bytes: [UInt8] = []
    private var starts: [Int] = [0]

    /// The set of `names` (UTF-8), in order.
    init(_ names: [[UInt8]] = []) {
        for name in names { append(name) }
    }

    /// Adds `name` (UTF-8) as the last name.
    mutating func append(_ name: [UInt8]) {
        names.append(name)
        words.append(JSONSpanMap.keyWord(of: name))
        tails.append(JSONSpanMap.keyTail(of: name))
        bytes.append(contentsOf: name)
        starts.append(bytes.count)
    }

    /// The number of names.
    var count: Int { names.count }

    /// `true` when name `index` is the simple key string `key`, whose key word is `word`.
    @inline(__always)
    func name(_ index: Int, isSimpleKey key: Int, word: UInt64, in map: JSONSpanMap) -> Bool {
        guard words[index] == word else { return false }
        let start = starts[index]
        let end = starts[index + 1]
        // Equal words mean equal lengths below 255 bytes (longer names are compared in full below).
        if end - start <= 7 { return true }
        guard tails[index] == map.keyTail(key) else { return false }
        return end - start <= 15 || map.stringSuffix(key, from: 7, equals: bytes, (start + 7)..<end)
    }

    /// `true` when the key string `key`, unescaped, is one of the names.
    func contains(key: Int, in map: JSONSpanMap) -> Bool {
        guard map.isSimple(key) else { return names.contains { map.stringEquals(key, $0) } }
        let word = map.keyWord(key)
        for index in words.indices where name(index, isSimpleKey: key, word: word, in: map) { return true }
        return false
    }

    /// `true` when `name` is one of the names, byte for byte.
    func contains(_ name: ArraySlice<UInt8>) -> Bool {
        name.withUnsafeBufferPointer { contains($0) }
    }

    /// `true` when `name` is one of the names, byte for byte (read through pointers: no slice retains an array).
    func contains(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        let word = JSONSpanMap.keyWord(of: name)
        for index in words.indices where words[index] == word {
            let stored = starts[index]..<starts[index + 1]
            guard stored.count == name.count else { continue }
            if bytes.withBytes(in: stored, { $0.elementsEqual(name) }) { return true }
        }
        return false
    }
}
