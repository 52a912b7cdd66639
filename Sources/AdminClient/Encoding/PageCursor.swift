import JSONSpans

/// A page's event bytes, written through one pointer into an array's storage reserved up front
/// (`Array(unsafeUninitializedCapacity:)`): an append checks only the room left, not the array's uniqueness and
/// capacity as `[UInt8].append` does for every value, name and comma of every row.
///
/// A full buffer does not grow: the append is dropped and ``overflowed`` set, and the rows that did not fit are
/// written into a further buffer (``RowWriter/writePage(capacity:_:)``). Reads (``bytes(in:)``) see only what was
/// written.
struct PageCursor: JSONByteSink {
    private let base: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// The bytes written so far.
    private(set) var count = 0
    /// Whether an append found no room (the bytes written since are not the page's).
    private(set) var overflowed = false

    /// A cursor at the start of `buffer` (of at least one byte).
    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        // `Array(unsafeUninitializedCapacity:)` hands over at least the capacity asked for, never 0 here.
        base = buffer.baseAddress!
        capacity = buffer.count
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        guard count < capacity else {
            overflowed = true
            return
        }
        (base + count).initialize(to: byte)
        count &+= 1
    }

    @inline(__always)
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= capacity &- count else {
            overflowed = true
            return
        }
        guard let source = bytes.baseAddress else { return }
        let length = bytes.count
        let from = UnsafeRawPointer(source)
        let to = UnsafeMutableRawPointer(base + count)
        // Most values and names are short: copied with two overlapping loads and stores (a call to memmove
        // costs more than the copy).
        if length >= 8, length <= 16 {
            let head = from.loadUnaligned(as: UInt64.self)
            let tail = (from + (length &- 8)).loadUnaligned(as: UInt64.self)
            to.storeBytes(of: head, as: UInt64.self)
            (to + (length &- 8)).storeBytes(of: tail, as: UInt64.self)
        } else if length >= 4, length < 8 {
            let head = from.loadUnaligned(as: UInt32.self)
            let tail = (from + (length &- 4)).loadUnaligned(as: UInt32.self)
            to.storeBytes(of: head, as: UInt32.self)
            (to + (length &- 4)).storeBytes(of: tail, as: UInt32.self)
        } else if length < 4 {
            var offset = 0
            while offset < length {
                to.storeBytes(of: from.load(fromByteOffset: offset, as: UInt8.self), toByteOffset: offset, as: UInt8.self)
                offset &+= 1
            }
        } else {
            to.copyMemory(from: from, byteCount: length)
        }
        count &+= length
    }

    @inline(__always)
    mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    @inline(__always)
    mutating func append(contentsOf bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBufferPointer { append(contentsOf: $0) }
    }

    /// Drops the bytes from `count` on.
    mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= self.count, "truncating past the written bytes")
        self.count = count
    }

    /// The bytes written at `range` (within ``count``), valid while the page's buffer is.
    @inline(__always)
    func bytes(in range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        precondition(range.lowerBound >= 0 && range.upperBound <= count, "a byte range outside the written bytes")
        return UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    /// Appends a copy of the written bytes at `range` (within ``count``).
    @inline(__always)
    mutating func appendCopy(of range: Range<Int>) {
        append(contentsOf: bytes(in: range))
    }
}
