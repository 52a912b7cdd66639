/// "Did you mean …?" for a misspelled setting name.
enum SettingSuggestion {
    /// `"; did you mean bootstrap-servers?"` when a known name is close to `name`, else `""`.
    static func hint(for name: String, among names: [String] = Setting.catalogue.map(\.name)) -> String {
        let scored = names.map { ($0, distance(name, $0)) }.filter { $0.1 <= max(2, name.count / 4) }
        guard let best = scored.min(by: { $0.1 < $1.1 }) else { return "" }
        return "; did you mean \(best.0)?"
    }

    /// Levenshtein distance.
    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
