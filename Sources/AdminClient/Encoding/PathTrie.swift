import JSONSpans

/// Every object-key path a table's columns read from an item, merged into one tree built once per table, so a
/// row resolves all of them in one pass over each object's members (instead of a linear member scan per column
/// and per path step).
///
/// Node 0 is the item itself; every other node is one key below its parent. Columns hold node numbers (plain
/// `Int`s: matching a column's source retains nothing).
struct PathTrie: Sendable {
    /// The key of each node (empty for the root), matched by key word first.
    private(set) var keys = KeySet([[]])
    /// The children of each node, in insertion order.
    private(set) var children: [[Int]] = [[]]
    /// ``children`` flattened: node `n`'s children are `childNodes[childRanges[n]]` (read per row without
    /// retaining a node's own array).
    private var childNodes: [Int] = []
    private var childRanges: [Range<Int>] = [0..<0]
    /// The dotted path of each node, for error messages.
    private(set) var names: [String] = [""]
    /// The number of keys from the item to each node.
    private(set) var depths: [Int] = [0]
    /// Whether each node's path begins with `workspace_id` (the default workspace stands in for it).
    private(set) var underWorkspaceID: [Bool] = [false]
    /// The top-level node (depth 1) on each node's path; 0 for the root.
    private(set) var topLevel: [Int] = [0]

    /// The node for `path`, added with its missing ancestors.
    mutating func insert(_ path: [String]) -> Int {
        var node = 0
        for key in path {
            let bytes = Array(key.utf8)
            if let child = children[node].first(where: { keys.names[$0] == bytes }) {
                node = child
                continue
            }
            let child = keys.count
            keys.append(bytes)
            children.append([])
            names.append(node == 0 ? key : names[node] + "." + key)
            depths.append(depths[node] + 1)
            underWorkspaceID.append(node == 0 ? bytes == TableEncoder.workspaceIDKey : underWorkspaceID[node])
            topLevel.append(node == 0 ? child : topLevel[node])
            children[node].append(child)
            node = child
        }
        childNodes = children.flatMap { $0 }
        childRanges = []
        for nodeChildren in children {
            let start = childRanges.last?.upperBound ?? 0
            childRanges.append(start..<(start + nodeChildren.count))
        }
        return node
    }

    /// The number of nodes.
    var count: Int { keys.count }

    /// Fills `values[base + node]` with the value number at each node's path from `item` (`RowWriter.missing`
    /// where a step is missing or not an object). As `JSONSpanMap.member`, the first of duplicate keys wins.
    ///
    /// - Precondition: `values[base..<base + count]` are all `RowWriter.missing`.
    func resolve(_ item: Int, in map: JSONSpanMap, into values: inout [Int], at base: Int = 0) {
        precondition(base >= 0 && base + count <= values.count, "resolving outside the values")
        // Through one pointer: every write into the array would check its uniqueness and bounds.
        values.withUnsafeMutableBufferPointer { buffer in
            let nodeValues = buffer.baseAddress! + base
            nodeValues[0] = item
            resolveChildren(of: 0, object: item, map: map, values: nodeValues)
        }
    }

    /// The first of `candidates` (indices into ``childNodes``) whose key is the key string `key`.
    @inline(__always)
    private func matchingChild(_ key: Int, among candidates: Range<Int>, map: JSONSpanMap) -> Int? {
        guard map.isSimple(key) else {
            for index in candidates where map.stringEquals(key, keys.names[childNodes[index]]) { return childNodes[index] }
            return nil
        }
        let word = map.keyWord(key)
        for index in candidates where keys.name(childNodes[index], isSimpleKey: key, word: word, in: map) {
            return childNodes[index]
        }
        return nil
    }

    /// `values[n]` := the value at each node `n` below `node`, whose value is `object` (`values` holds
    /// ``count`` entries, node 0 first).
    private func resolveChildren(of node: Int, object: Int, map: JSONSpanMap, values: UnsafeMutablePointer<Int>) {
        let candidates = childRanges[node]
        guard !candidates.isEmpty, map.kind(object) == .object else { return }
        let end = map.next(after: object)
        var key = object + 1
        var found = 0
        while key < end, found < candidates.count {
            // The scanner refuses repeated keys, so the key names one child at most; the first value wins all
            // the same.
            if let child = matchingChild(key, among: candidates, map: map), values[child] == RowWriter.missing {
                values[child] = key + 1
                found += 1
            }
            key = map.next(after: key + 1)
        }
        for index in candidates {
            let child = childNodes[index]
            if values[child] != RowWriter.missing && !childRanges[child].isEmpty {
                resolveChildren(of: child, object: values[child], map: map, values: values)
            }
        }
    }
}
