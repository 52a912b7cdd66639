import JSONSpans

extension RowWriter {
    /// The fields besides the columns, as `makeRow` lists them: the bucket's end, every member the columns do not
    /// consume (objects flattened with `_`), then `<tool>_accepted`/`_rejected` for tools without a column.
    mutating func collectExtras(
        _ encoder: TableEncoder, item: Int, bucket: Int?, map: JSONSpanMap
    ) throws(RowMappingError) {
        if let bucket, let end = map.member(bucket, TableEncoder.endingAtKey) {
            let start = names.count
            names.append(contentsOf: TableEncoder.bucketEndName)
            extras.append(Extra(nameStart: start, nameEnd: names.count, isASCII: true, value: end))
        }
        let itemEnd = map.next(after: item)
        var key = item + 1
        var sawWorkspaceID = false
        while key < itemEnd {
            var value = key + 1
            defer { key = map.next(after: key + 1) }
            if overrideBytes != nil, map.stringEquals(key, TableEncoder.workspaceIDKey) {
                sawWorkspaceID = true
                if map.kind(value) == .null { value = Self.override }
            }
            if encoder.consumed.contains(key: key, in: map) { continue }
            let start = names.count
            map.appendUnescaped(key, into: &names)
            flatten(value, nameStart: start, isASCII: map.isASCII(key), map: map)
        }
        if overrideBytes != nil, !sawWorkspaceID, !encoder.consumed.contains(TableEncoder.workspaceIDKey[...]) {
            let start = names.count
            names.append(contentsOf: TableEncoder.workspaceIDKey)
            extras.append(Extra(nameStart: start, nameEnd: names.count, isASCII: true, value: Self.override))
        }
        if let tools = map.member(item, TableEncoder.toolActionsKey), map.kind(tools) == .object {
            let toolsEnd = map.next(after: tools)
            var tool = tools + 1
            while tool < toolsEnd {
                defer { tool = map.next(after: tool + 1) }
                if encoder.toolColumns.contains(key: tool, in: map) { continue }
                appendToolExtra(tool, suffix: RowWriter.acceptedSuffix, outcome: TableEncoder.acceptedKey, map: map)
                appendToolExtra(tool, suffix: RowWriter.rejectedSuffix, outcome: TableEncoder.rejectedKey, map: map)
            }
        }
    }

    static let acceptedSuffix = Array("_accepted".utf8)
    static let rejectedSuffix = Array("_rejected".utf8)

    mutating func appendToolExtra(_ tool: Int, suffix: [UInt8], outcome: [UInt8], map: JSONSpanMap) {
        let start = names.count
        map.appendUnescaped(tool, into: &names)
        names.append(contentsOf: suffix)
        let value = map.member(tool + 1, outcome) ?? Self.missing
        extras.append(Extra(nameStart: start, nameEnd: names.count, isASCII: map.isASCII(tool), value: value))
    }

    /// Adds `value` under the name `names[nameStart...]`, or its members under `<name>_<key>` when it is a
    /// non-empty object.
    mutating func flatten(_ value: Int, nameStart: Int, isASCII: Bool, map: JSONSpanMap) {
        let nameEnd = names.count
        guard value >= 0, map.kind(value) == .object, map.count(value) > 0 else {
            extras.append(Extra(nameStart: nameStart, nameEnd: nameEnd, isASCII: isASCII, value: value))
            return
        }
        let end = map.next(after: value)
        var key = value + 1
        while key < end {
            let start = names.count
            var offset = nameStart
            while offset < nameEnd {
                names.append(names[offset])
                offset += 1
            }
            names.append(UInt8(ascii: "_"))
            map.appendUnescaped(key, into: &names)
            flatten(key + 1, nameStart: start, isASCII: isASCII && map.isASCII(key), map: map)
            key = map.next(after: key + 1)
        }
    }

    /// Sorts the extras by name (stable, as `makeRow`'s sort), drops names already taken (a column, or an earlier
    /// extra: the first keeps its value) and writes them.
    mutating func writeExtras(_ encoder: TableEncoder, map: JSONSpanMap) {
        guard !extras.isEmpty else { return }
        // Insertion sort: rows have a handful of extras, and it is stable.
        var index = 1
        while index < extras.count {
            let current = extras[index]
            var position = index
            while position > 0, Self.nameLess(current, extras[position - 1], in: names) {
                extras[position] = extras[position - 1]
                position -= 1
            }
            extras[position] = current
            index += 1
        }
        for index in extras.indices {
            let extra = extras[index]
            if Self.isColumnName(extra, encoder.columnNames, in: names) { continue }
            if Self.isTaken(extra, by: accepted, of: extras, in: names) { continue }
            accepted.append(index)
            out.append(UInt8(ascii: ","))
            out.append(UInt8(ascii: "\""))
            // Through a pointer: a slice of `names` would retain it for every extra of every row.
            names.withBytes(in: extra.name) { JSONSpanWriter.appendEscaped($0, into: &out) }
            out.append(UInt8(ascii: "\""))
            out.append(UInt8(ascii: ":"))
            _ = writeValue(extra.value, map: map)
        }
    }

    /// `String`'s `<` on the names: byte order for ASCII, Unicode canonical order otherwise.
    /// (Static, on the `names` buffer: a method on `self` called while `extras` is being sorted copies the whole
    /// writer per call.)
    static func nameLess(_ lhs: Extra, _ rhs: Extra, in names: [UInt8]) -> Bool {
        if lhs.isASCII, rhs.isASCII {
            // `lexicographicallyPrecedes` on the two names, on indices into `names` (no slices).
            var left = lhs.nameStart
            var right = rhs.nameStart
            while left < lhs.nameEnd, right < rhs.nameEnd {
                let leftByte = names[left]
                let rightByte = names[right]
                if leftByte != rightByte { return leftByte < rightByte }
                left += 1
                right += 1
            }
            return left == lhs.nameEnd && right < rhs.nameEnd
        }
        return String(decoding: names[lhs.name], as: UTF8.self)
            < String(decoding: names[rhs.name], as: UTF8.self)
    }

    /// `true` when `extra`'s name is a column's (`String`'s `==`: canonical equivalence for non-ASCII names; the
    /// column names are ASCII).
    static func isColumnName(_ extra: Extra, _ columnNames: KeySet, in names: [UInt8]) -> Bool {
        if extra.isASCII {
            return names.withBytes(in: extra.name) { columnNames.contains($0) }
        }
        let text = String(decoding: names[extra.name], as: UTF8.self)
        return columnNames.names.contains { String(decoding: $0, as: UTF8.self) == text }
    }

    /// `true` when an extra already written (`accepted`, indices into `extras`) has `extra`'s name. (Static, as
    /// ``nameLess(_:_:in:)``.)
    static func isTaken(_ extra: Extra, by accepted: [Int], of extras: [Extra], in names: [UInt8]) -> Bool {
        for index in accepted where nameEquals(extra, extras[index], in: names) { return true }
        return false
    }

    static func nameEquals(_ lhs: Extra, _ rhs: Extra, in names: [UInt8]) -> Bool {
        if lhs.isASCII, rhs.isASCII {
            guard lhs.name.count == rhs.name.count else { return false }
            // Through pointers, as ``isColumnName(_:_:in:)``.
            return names.withBytes(in: lhs.name) { left in names.withBytes(in: rhs.name) { left.elementsEqual($0) } }
        }
        return String(decoding: names[lhs.name], as: UTF8.self) == String(decoding: names[rhs.name], as: UTF8.self)
    }
}
