extension Array where Element == UInt8 {
    /// Calls `body` with the bytes at `range` through a pointer. A slice (`self[range]`) would retain and release
    /// the array's storage each time, which the encoder's per-value and per-name reads cannot afford.
    ///
    /// - Parameters:
    ///   - range: positions within the array; a range outside it stops the process (a bug, never input).
    ///   - body: reads the bytes; the pointer is valid only inside it.
    @inlinable @inline(__always)
    package func withBytes<Result>(
        in range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        try withUnsafeBufferPointer { all in
            precondition(range.lowerBound >= 0 && range.upperBound <= all.count, "a byte range outside its buffer")
            return try body(UnsafeBufferPointer(rebasing: all[range]))
        }
    }
}
