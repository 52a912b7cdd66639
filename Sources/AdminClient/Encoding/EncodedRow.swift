/// One row as its event's bytes: the compact JSON key and value, exactly what the event contract says the row's
/// event carries, written straight from the response's bytes by the table's ``TableEncoder``.
///
/// The encoder writes a page's rows into one buffer: a row's key and value are slices of it (no allocation of
/// their own), and the buffer lives as long as any of them (and the records made from them).
public struct EncodedRow: Sendable, Hashable {
    /// The key: the key columns, in order, as a compact JSON object.
    public let key: ArraySlice<UInt8>
    /// The value: every column, then the extra fields sorted by name, as a compact JSON object.
    public let value: ArraySlice<UInt8>
    /// The day of the first key column when it is a date or timestamp (time tables), else `nil`.
    public let day: CalendarDay?

    /// Wraps bytes already encoded (the encoder makes rows as slices of its page buffer).
    ///
    /// - Parameters:
    ///   - key: the key's bytes.
    ///   - value: the value's bytes.
    ///   - day: the day of the first key column.
    public init(key: ArraySlice<UInt8>, value: ArraySlice<UInt8>, day: CalendarDay?) {
        self.key = key
        self.value = value
        self.day = day
    }

    /// Wraps bytes already encoded, each in an array of its own (tests, tools).
    ///
    /// - Parameters:
    ///   - key: the key's bytes.
    ///   - value: the value's bytes.
    ///   - day: the day of the first key column.
    public init(key: [UInt8], value: [UInt8], day: CalendarDay?) {
        self.init(key: key[...], value: value[...], day: day)
    }
}
