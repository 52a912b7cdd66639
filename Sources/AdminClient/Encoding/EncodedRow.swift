/// One row as its event's bytes: the compact JSON key and value, exactly what the event contract says the row's
/// event carries, written straight from the response's bytes by the table's ``TableEncoder``.
public struct EncodedRow: Sendable, Hashable {
    /// The key: the key columns, in order, as a compact JSON object.
    public let key: [UInt8]
    /// The value: every column, then the extra fields sorted by name, as a compact JSON object.
    public let value: [UInt8]
    /// The day of the first key column when it is a date or timestamp (time tables), else `nil`.
    public let day: CalendarDay?

    /// Wraps bytes already encoded (the encoder makes rows; tests may too).
    ///
    /// - Parameters:
    ///   - key: the key's bytes.
    ///   - value: the value's bytes.
    ///   - day: the day of the first key column.
    public init(key: [UInt8], value: [UInt8], day: CalendarDay?) {
        self.key = key
        self.value = value
        self.day = day
    }
}
