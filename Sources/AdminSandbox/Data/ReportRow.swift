/// One result of a report bucket before it is written as JSON: its dimension values and summable metrics.
struct ReportRow: Sendable {
    /// Dimension values in the report's dimension order (`nil` = JSON null).
    var dimensions: [String?]
    /// Summable integer metrics in the report's metric order.
    var metrics: [Int]

    /// Sums rows that agree on the grouped dimensions (`grouped[i]` says whether dimension `i` is grouped),
    /// keeping the order in which each group first appears; ungrouped dimensions become `nil`.
    static func aggregate(_ rows: [ReportRow], grouped: [Bool]) -> [ReportRow] {
        var result: [ReportRow] = []
        var positions: [[String?]: Int] = [:]
        for row in rows {
            var dimensions = row.dimensions
            for index in dimensions.indices where !grouped[index] { dimensions[index] = nil }
            if let position = positions[dimensions] {
                for index in row.metrics.indices { result[position].metrics[index] += row.metrics[index] }
            } else {
                positions[dimensions] = result.count
                result.append(ReportRow(dimensions: dimensions, metrics: row.metrics))
            }
        }
        return result
    }

    /// A multiplier coprime with `space`, so `(j × stride + shift) % space` visits distinct combinations.
    static func stride(for space: Int) -> Int {
        guard space > 2 else { return 1 }
        var candidate = space / 3 + 1
        while gcd(candidate, space) != 1 { candidate += 1 }
        return candidate
    }

    private static func gcd(_ a: Int, _ b: Int) -> Int {
        b == 0 ? a : gcd(b, a % b)
    }
}
