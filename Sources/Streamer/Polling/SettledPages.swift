/// What the pages of a time-series cycle came to, added up as each one's durability is known: what they made
/// durable, and the first page lost.
struct SettledPages: Sendable {
    /// What the durable pages published.
    var outcome = CycleOutcome()
    /// Why the first lost page was lost; `nil` while none was.
    var failure: StreamerError? = nil

    /// Adds one page's end.
    mutating func add(_ result: Result<CycleOutcome, StreamerError>) {
        switch result {
        case .success(let done): outcome.add(done)
        case .failure(let error): if failure == nil { failure = error }
        }
    }
}
