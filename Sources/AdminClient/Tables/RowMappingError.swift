/// A row of an API response did not have the shape its table's definition expects.
public struct RowMappingError: Error, Sendable, Equatable {
    /// The JSON path inside the row, e.g. `core_metrics.lines_of_code.added`.
    public var path: String
    /// What was expected there, e.g. `an integer, found string`.
    public var expected: String
}
