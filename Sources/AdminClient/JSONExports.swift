// The client's public API speaks JSON values (`AdminRow.fields`, `ColumnSource.constant`): its users get the one
// JSON module of the product (Sources/JSON) with it.
@_exported import JSONSpans
