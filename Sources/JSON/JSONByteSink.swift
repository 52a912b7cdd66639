/// Where the span writers (``JSONSpanMap/appendCompact(_:into:)``, ``JSONSpanWriter/appendEscaped(_:into:)``…)
/// put their bytes: a growing `[UInt8]`, or a buffer reserved up front and written through a pointer (the table
/// encoder's page, which spares each append the array's uniqueness and growth checks).
public protocol JSONByteSink {
    /// Appends one byte.
    mutating func append(_ byte: UInt8)
    /// Appends `bytes`, in order.
    mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>)
}

extension Array: JSONByteSink where Element == UInt8 {}
