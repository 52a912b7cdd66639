import JSONSpans

#if canImport(FoundationEssentials)
import struct FoundationEssentials.Decimal
#else
import struct Foundation.Decimal
#endif

/// The buffers ``TableEncoder`` writes a page's rows with, kept from row to row: every row's value and key go into
/// one buffer (``out``, written through a pointer), so a page of rows costs a few allocations, not two a row.
struct RowWriter {
    /// Where one row's bytes are in ``out``.
    struct RowSpans {
        var key: Range<Int>
        var value: Range<Int>
        var day: CalendarDay?
    }

    struct Extra {
        var nameStart: Int
        var nameEnd: Int
        var isASCII: Bool
        /// Where the name lies in ``RowWriter/names``.
        var name: Range<Int> { nameStart..<nameEnd }
        /// A value number, ``RowWriter/missing`` (`null`) or ``RowWriter/override`` (the default workspace).
        var value: Int
    }

    static let missing = -1
    static let override = -2

    /// The page's bytes: each row's value, then its key.
    var out: PageCursor
    /// Where each row written into ``out`` lies, in order.
    var rows: [RowSpans] = []
    /// The rows still to pass over unwritten: a page written again after a full buffer resumes where the rows
    /// written into the earlier buffer end.
    var rowsToSkip = 0
    var names: [UInt8] = []
    var decoded: [UInt8] = []
    var ranges: [Range<Int>] = []
    var extras: [Extra] = []
    var accepted: [Int] = []
    var overrideBytes: [UInt8]? = nil
    /// The value number at each of the encoder's ``PathTrie`` nodes for the current row.
    var resolved: [Int] = []
    /// For each element of the array `elementsOf`, in order, the value number at each element trie node
    /// (`elementTrie.count` entries an element): one walk of the array serves all its sums and joins.
    var elementValues: [Int] = []
    var elementsOf = Self.missing
    var elementCount = 0

    /// Empty scratch buffers, writing the page at `out`.
    init(out: PageCursor) {
        self.out = out
        names.reserveCapacity(256)
        decoded.reserveCapacity(64)
        extras.reserveCapacity(32)
        accepted.reserveCapacity(32)
    }

    /// Writes the row `item` and adds where it lies to ``rows``; when the buffer is full, only sets
    /// ``PageCursor/overflowed`` (and an error it throws then may not be the row's).
    mutating func encode(
        _ encoder: TableEncoder, item: Int, bucket: Int?, map: JSONSpanMap, override: [UInt8]?
    ) throws(RowMappingError) {
        if rowsToSkip > 0 {
            rowsToSkip -= 1
            return
        }
        let rowStart = out.count
        names.removeAll(keepingCapacity: true)
        extras.removeAll(keepingCapacity: true)
        accepted.removeAll(keepingCapacity: true)
        ranges.removeAll(keepingCapacity: true)
        overrideBytes = override
        if resolved.count == encoder.trie.count {
            resolved.withUnsafeMutableBufferPointer { $0.update(repeating: Self.missing) }
        } else {
            resolved = Array(repeating: Self.missing, count: encoder.trie.count)
        }
        encoder.trie.resolve(item, in: map, into: &resolved)
        elementsOf = Self.missing
        elementCount = 0
        out.append(UInt8(ascii: "{"))
        // The column names are copied from the encoder's one table through a pointer: no retain per column.
        try encoder.prefixes.withUnsafeBufferPointer { (prefixes) throws(RowMappingError) in
            for index in encoder.plans.indices {
                let plan = encoder.plans[index]
                out.append(contentsOf: UnsafeBufferPointer(rebasing: prefixes[plan.prefix]))
                let start = out.count
                let kind = try write(plan, encoder: encoder, bucket: bucket, map: map)
                // Past a full buffer the bytes are not the row's: no check (the page is written again).
                if out.overflowed { return }
                try check(plan, kind, from: start, encoder: encoder)
                ranges.append(start..<out.count)
            }
        }
        if out.overflowed { return }
        try collectExtras(encoder, item: item, bucket: bucket, map: map)
        writeExtras(encoder, map: map)
        out.append(UInt8(ascii: "}"))
        if out.overflowed { return }

        let valueEnd = out.count
        let day =
            encoder.isTimeTable && !encoder.keyPlan.isEmpty
            ? Self.day(in: out.bytes(in: ranges[encoder.keyPlan[0].column])) : nil
        // The key follows the value in the same buffer: the key columns' prefixes and the bytes just written for
        // those columns, copied within the buffer.
        encoder.prefixes.withUnsafeBufferPointer { prefixes in
            for (column, prefix) in encoder.keyPlan {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: prefixes[prefix]))
                out.appendCopy(of: ranges[column])
            }
        }
        out.append(UInt8(ascii: "}"))
        if out.overflowed { return }
        rows.append(RowSpans(key: valueEnd..<out.count, value: rowStart..<valueEnd, day: day))
    }

    /// The rows `body` writes, as slices of one buffer for the page, reserved with room for `capacity` bytes.
    /// Should the rows need more, the rows after the last that fitted are written again into a second buffer
    /// (and so on): a full buffer is neither copied nor grown.
    ///
    /// - Parameters:
    ///   - capacity: the bytes the page's rows are expected to take.
    ///   - body: writes every row of the page with the writer it is given (``encode(_:item:bucket:map:override:)``),
    ///     in order, and may stop at the first row after which ``PageCursor/overflowed`` is set.
    static func writePage(
        capacity: Int, _ body: (inout RowWriter) throws(RowMappingError) -> Void
    ) throws(RowMappingError) -> [EncodedRow] {
        var capacity = max(capacity, 4096)
        var written: [EncodedRow] = []
        // The scratch buffers serve the next buffer's rows too.
        var spare: RowWriter? = nil
        while true {
            var spans: [RowSpans] = []
            var failure: RowMappingError? = nil
            var overflowed = false
            let page = [UInt8](unsafeUninitializedCapacity: capacity) { buffer, count in
                var writer = spare.take() ?? RowWriter(out: PageCursor(buffer))
                writer.out = PageCursor(buffer)
                writer.rows.removeAll(keepingCapacity: true)
                writer.rowsToSkip = written.count
                defer { spare = writer }
                do throws(RowMappingError) {
                    try body(&writer)
                } catch {
                    failure = error
                }
                overflowed = writer.out.overflowed
                spans = writer.rows
                count = writer.out.count
            }
            // An error found past a full buffer may come from bytes that were never written: that row is
            // written again.
            if !overflowed, let failure { throw failure }
            if written.isEmpty, !overflowed {
                return spans.map { EncodedRow(key: page[$0.key], value: page[$0.value], day: $0.day) }
            }
            for row in spans { written.append(EncodedRow(key: page[row.key], value: page[row.value], day: row.day)) }
            if !overflowed { return written }
            // A row larger than the whole buffer: a larger one.
            if spans.isEmpty { capacity *= 2 }
        }
    }

    // MARK: Columns

    /// The value at trie node `node`; the default workspace stands in for a missing or `null` top-level
    /// `workspace_id`.
    @inline(__always)
    func lookup(_ node: Int, trie: PathTrie, map: JSONSpanMap) -> Int {
        if overrideBytes != nil, trie.underWorkspaceID[node] {
            let member = resolved[trie.topLevel[node]]
            if member == Self.missing || map.kind(member) == .null {
                return trie.depths[node] == 1 ? Self.override : Self.missing
            }
        }
        return resolved[node]
    }

    func kind(_ value: Int, map: JSONSpanMap) -> EncodedKind {
        switch value {
        case Self.missing: return .null
        case Self.override: return .string
        default:
            switch map.kind(value) {
            case .null: return .null
            case .true, .false: return .boolean
            case .number: return .number
            case .string: return .string
            case .array: return .array
            case .object: return .object
            }
        }
    }

    mutating func writeValue(_ value: Int, map: JSONSpanMap) -> EncodedKind {
        switch value {
        case Self.missing:
            appendNull()
            return .null
        case Self.override:
            out.append(UInt8(ascii: "\""))
            let text = overrideBytes ?? []
            text.withUnsafeBufferPointer { JSONSpanWriter.appendEscaped($0, into: &out) }
            out.append(UInt8(ascii: "\""))
            return .string
        default:
            map.appendCompact(value, into: &out)
            return kind(value, map: map)
        }
    }

    /// Appends `null` in one step (four single-byte appends check the buffer's uniqueness and room four times).
    mutating func appendNull() {
        withUnsafeBytes(of: UInt32(0x6C6C_756E).littleEndian) { word in
            out.append(contentsOf: word.assumingMemoryBound(to: UInt8.self))
        }
    }

    /// `decoded` := the text of the string `value` (a value number or the default workspace).
    mutating func decode(_ value: Int, map: JSONSpanMap) {
        decoded.removeAll(keepingCapacity: true)
        if value == Self.override {
            decoded.append(contentsOf: overrideBytes ?? [])
        } else {
            map.appendUnescaped(value, into: &decoded)
        }
    }

    func isString(_ value: Int, equalTo expected: [UInt8], map: JSONSpanMap) -> Bool {
        switch value {
        case Self.missing: return false
        case Self.override: return overrideBytes == expected
        default: return map.stringEquals(value, expected)
        }
    }

    mutating func write(
        _ plan: ColumnPlan, encoder: TableEncoder, bucket: Int?, map: JSONSpanMap
    ) throws(RowMappingError) -> EncodedKind {
        let trie = encoder.trie
        switch plan.source {
        case .field(let node):
            return writeValue(lookup(node, trie: trie, map: map), map: map)
        case .firstPresent:
            for node in encoder.alternatives[plan.alternatives] {
                let value = lookup(node, trie: trie, map: map)
                if kind(value, map: map) != .null { return writeValue(value, map: map) }
            }
            return writeValue(Self.missing, map: map)
        case .day(let node):
            return try writeDay(lookup(node, trie: trie, map: map), path: trie.names[node], map: map)
        case .decimalString(let node):
            return try writeDecimalString(lookup(node, trie: trie, map: map), path: trie.names[node], map: map)
        case .actorIdentity(let typeNode, let emailNode, let keyNameNode):
            let type = lookup(typeNode, trie: trie, map: map)
            let value: Int
            if isString(type, equalTo: TableEncoder.userActor, map: map) {
                value = lookup(emailNode, trie: trie, map: map)
            } else if isString(type, equalTo: TableEncoder.apiActor, map: map) {
                value = lookup(keyNameNode, trie: trie, map: map)
            } else {
                let email = lookup(emailNode, trie: trie, map: map)
                value = email != Self.missing ? email : lookup(keyNameNode, trie: trie, map: map)
            }
            return writeValue(value, map: map)
        case .toolAction(let node):
            let value = lookup(node, trie: trie, map: map)
            if value == Self.missing {
                out.append(UInt8(ascii: "0"))
                return .number
            }
            return writeValue(value, map: map)
        case .sum(let array, let path, let filter):
            resolveElements(lookup(array, trie: trie, map: map), trie: encoder.elementTrie, map: map)
            return try writeSum(
                array: array, path: path, filter: filter, equals: encoder.constants[plan.bytes], encoder: encoder,
                map: map)
        case .joined(let array, let path):
            resolveElements(lookup(array, trie: trie, map: map), trie: encoder.elementTrie, map: map)
            out.append(UInt8(ascii: "\""))
            let start = out.count
            var any = false
            let stride = encoder.elementTrie.count
            for index in 0..<elementCount {
                let value = elementValues[index * stride + path]
                if value != Self.missing, map.kind(value) == .string {
                    if any { out.append(UInt8(ascii: ",")) }
                    map.appendStringContents(value, into: &out)
                    any = true
                }
            }
            if any {
                out.append(UInt8(ascii: "\""))
                return .string
            }
            out.truncate(to: start - 1)
            appendNull()
            return .null
        case .bucketStart:
            let value = bucket.flatMap { map.member($0, TableEncoder.startingAtKey) } ?? Self.missing
            return writeValue(value, map: map)
        case .idWhen(let typeNode, let idNode):
            let type = lookup(typeNode, trie: trie, map: map)
            guard isString(type, equalTo: encoder.constants[plan.bytes], map: map) else {
                appendNull()
                return .null
            }
            return writeValue(lookup(idNode, trie: trie, map: map), map: map)
        case .constant(let kind):
            out.append(contentsOf: encoder.constants[plan.bytes])
            return kind
        case .null:
            appendNull()
            return .null
        }
    }

    mutating func writeDay(_ value: Int, path: String, map: JSONSpanMap) throws(RowMappingError) -> EncodedKind {
        let kind = kind(value, map: map)
        guard kind == .string else {
            if kind == .null {
                appendNull()
                return .null
            }
            throw RowMappingError(path: path, expected: "a date string, found \(kind.typeName)")
        }
        decode(value, map: map)
        guard Self.dayPrefixIsValid(decoded) else {
            throw RowMappingError(
                path: path,
                expected: "a YYYY-MM-DD date, found \"\(String(decoding: decoded, as: UTF8.self))\"")
        }
        out.append(UInt8(ascii: "\""))
        out.append(contentsOf: decoded[0..<10])
        out.append(contentsOf: Self.midnightSuffix)
        return .string
    }

    static let midnightSuffix = Array("T00:00:00Z\"".utf8)

    /// `CalendarDay(prefixOf:)` on bytes: `YYYY-MM-DD`, alone or followed by `T`, naming a real date.
    static func dayPrefixIsValid(_ text: [UInt8]) -> Bool {
        calendarDay(prefixOf: text[...]) != nil
    }

    static func calendarDay<Text: RandomAccessCollection<UInt8>>(prefixOf text: Text) -> CalendarDay?
    where Text.Index == Int {
        guard text.count >= 10 else { return nil }
        let base = text.startIndex
        guard text[base + 4] == UInt8(ascii: "-"), text[base + 7] == UInt8(ascii: "-") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for offset in range {
                let digit = text[base + offset] &- UInt8(ascii: "0")
                guard digit < 10 else { return nil }
                value = value * 10 + Int(digit)
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
        if text.count > 10, text[base + 10] != UInt8(ascii: "T") { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    mutating func writeDecimalString(
        _ value: Int, path: String, map: JSONSpanMap
    ) throws(RowMappingError) -> EncodedKind {
        let kind = kind(value, map: map)
        switch kind {
        case .string:
            decode(value, map: map)
            guard let literal = Self.numberLiteral(in: decoded) else {
                throw RowMappingError(
                    path: path,
                    expected: "a decimal string, found \"\(String(decoding: decoded, as: UTF8.self))\"")
            }
            out.append(contentsOf: decoded[literal])
            return .number
        case .number, .null:
            return writeValue(value, map: map)
        default:
            throw RowMappingError(path: path, expected: "a decimal string, found \(kind.typeName)")
        }
    }

    /// The range of the one JSON number `text` holds, whitespace around it allowed (`JSONNumber(validating:)`).
    static func numberLiteral(in text: [UInt8]) -> Range<Int>? {
        func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 }
        func isDigit(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "0") < 10 }
        var index = 0
        while index < text.count, isSpace(text[index]) { index += 1 }
        let start = index
        if index < text.count, text[index] == UInt8(ascii: "-") { index += 1 }
        guard index < text.count else { return nil }
        if text[index] == UInt8(ascii: "0") {
            index += 1
        } else if isDigit(text[index]) {
            while index < text.count, isDigit(text[index]) { index += 1 }
        } else {
            return nil
        }
        if index < text.count, text[index] == UInt8(ascii: ".") {
            index += 1
            guard index < text.count, isDigit(text[index]) else { return nil }
            while index < text.count, isDigit(text[index]) { index += 1 }
        }
        if index < text.count, text[index] == UInt8(ascii: "e") || text[index] == UInt8(ascii: "E") {
            index += 1
            if index < text.count, text[index] == UInt8(ascii: "+") || text[index] == UInt8(ascii: "-") { index += 1 }
            guard index < text.count, isDigit(text[index]) else { return nil }
            while index < text.count, isDigit(text[index]) { index += 1 }
        }
        let end = index
        while index < text.count, isSpace(text[index]) { index += 1 }
        return index == text.count ? start..<end : nil
    }

    /// `elementValues` := the element trie resolved in each element of `array` (none unless it is an array),
    /// unless it already holds them.
    mutating func resolveElements(_ array: Int, trie: PathTrie, map: JSONSpanMap) {
        guard array != elementsOf else { return }
        elementsOf = array
        elementValues.removeAll(keepingCapacity: true)
        elementCount = 0
        guard array >= 0, map.kind(array) == .array else { return }
        let end = map.next(after: array)
        var element = array + 1
        while element < end {
            let base = elementValues.count
            elementValues.append(contentsOf: repeatElement(Self.missing, count: trie.count))
            trie.resolve(element, in: map, into: &elementValues, at: base)
            elementCount += 1
            element = map.next(after: element)
        }
    }

    /// The sum of element trie node `path` over the resolved elements (those whose `filter` string equals
    /// `equals`, when there is a filter).
    mutating func writeSum(
        array: Int, path: Int, filter: Int?, equals: [UInt8], encoder: TableEncoder, map: JSONSpanMap
    ) throws(RowMappingError) -> EncodedKind {
        let trie = encoder.elementTrie
        var integerTotal = 0
        var decimalTotal: Decimal? = nil
        let stride = trie.count
        for index in 0..<elementCount {
            let base = index * stride
            if let filter {
                let value = elementValues[base + filter]
                guard value != Self.missing, map.stringEquals(value, equals) else { continue }
            }
            let value = elementValues[base + path]
            guard value != Self.missing else { continue }
            switch map.kind(value) {
            case .null:
                continue
            case .number:
                let literal = map.span(value)
                if decimalTotal == nil, let int = Self.int(in: map.bytes, at: literal) {
                    let (sum, overflow) = integerTotal.addingReportingOverflow(int)
                    if !overflow {
                        integerTotal = sum
                        continue
                    }
                }
                guard let decimal = Decimal(string: String(decoding: map.bytes[literal], as: UTF8.self)) else {
                    throw RowMappingError(path: "\(encoder.trie.names[array])[\(index)].\(trie.names[path])", expected: "a number")
                }
                decimalTotal = (decimalTotal ?? Decimal(integerTotal)) + decimal
            default:
                throw RowMappingError(
                    path: "\(encoder.trie.names[array])[\(index)].\(trie.names[path])",
                    expected: "a number, found \(kind(value, map: map).typeName)")
            }
        }
        if let decimalTotal {
            out.append(contentsOf: Array("\(decimalTotal)".utf8))
        } else {
            appendInteger(integerTotal)
        }
        return .number
    }

    /// `Int(literal)`: an optional `-` and digits that fit.
    static func int<Bytes: Collection<UInt8>>(_ literal: Bytes) -> Int? {
        var index = literal.startIndex
        let isNegative = index != literal.endIndex && literal[index] == UInt8(ascii: "-")
        if isNegative { literal.formIndex(after: &index) }
        guard index != literal.endIndex else { return nil }
        var value = 0
        while index != literal.endIndex {
            let digit = literal[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                isNegative ? times.subtractingReportingOverflow(Int(digit)) : times.addingReportingOverflow(Int(digit))
            guard !overflow1, !overflow2 else { return nil }
            value = next
            literal.formIndex(after: &index)
        }
        return value
    }

    /// `int` of `bytes[range]`, read through a pointer (a slice of `bytes` would retain its storage).
    static func int(in bytes: [UInt8], at range: Range<Int>) -> Int? {
        guard range.lowerBound >= 0, range.upperBound <= bytes.count else { return nil }
        return bytes.withBytes(in: range) { int($0) }
    }

    /// Appends `value`'s decimal digits: written least significant first (divisions by the constant 10 only)
    /// from the end of a stack buffer, then appended in one step.
    mutating func appendInteger(_ value: Int) {
        // 20 digits hold any magnitude of a 64-bit Int, plus the sign.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 21) { digits in
            var start = digits.count
            var magnitude = value.magnitude
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                digits[start] = UInt8(ascii: "-")
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: digits[start...]))
        }
    }

    /// `ColumnDefinition.check`: the written value against the column's type. (Inlined: the common case is a
    /// comparison of two small enums; a call would pass a copy of the writer.)
    @inline(__always)
    func check(_ plan: ColumnPlan, _ kind: EncodedKind, from start: Int, encoder: TableEncoder) throws(RowMappingError) {
        switch (plan.type, kind) {
        case (_, .null):
            if plan.isRequired {
                let column = encoder.definition.columns[plan.column]
                throw RowMappingError(
                    path: column.source.description, expected: "a value for \(column.name), found null or nothing")
            }
        case (.string, .string), (.timestamp, .string), (.number, .number), (.boolean, .boolean), (.array, .array):
            return
        case (.integer, .number):
            let written = out.bytes(in: start..<out.count)
            if !Self.isInteger(written) {
                throw RowMappingError(
                    path: encoder.definition.columns[plan.column].source.description,
                    expected: "an integer, found \(String(decoding: written, as: UTF8.self))")
            }
        default:
            throw Self.typeMismatch(encoder.definition.columns[plan.column], kind)
        }
    }

    static func typeMismatch(_ column: ColumnDefinition, _ kind: EncodedKind) -> RowMappingError {
        let wanted =
            column.type == .timestamp
            ? "a timestamp string" : column.type == .integer ? "an integer" : "a \(column.type.rawValue)"
        return RowMappingError(path: column.source.description, expected: "\(wanted), found \(kind.typeName)")
    }

    /// `JSONNumber.isInteger` on bytes.
    static func isInteger<Bytes: Collection<UInt8>>(_ literal: Bytes) -> Bool {
        let digits = literal.first == UInt8(ascii: "-") ? literal.dropFirst() : literal[...]
        if !digits.isEmpty, digits.count <= 18, digits.allSatisfy({ $0 &- UInt8(ascii: "0") < 10 }) { return true }
        return int(literal) != nil
    }

    /// The day of the first key column's written value. (Static: a method call on the writer from its mutating
    /// `encode` would copy the writer, retaining each of its buffers.)
    static func day(in written: UnsafeBufferPointer<UInt8>) -> CalendarDay? {
        guard written.count >= 2, written[0] == UInt8(ascii: "\"") else { return nil }
        let text = UnsafeBufferPointer(rebasing: written[1..<(written.count - 1)])
        if !text.contains(UInt8(ascii: "\\")) { return Self.calendarDay(prefixOf: text) }
        guard let map = try? JSONSpanScanner.scan(Array(written)) else { return nil }
        var unescaped: [UInt8] = []
        map.appendUnescaped(map.root, into: &unescaped)
        return Self.calendarDay(prefixOf: unescaped[...])
    }
}
