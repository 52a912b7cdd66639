import Testing

/// Checks `condition` every 200 ms until it holds; records an issue naming `what` and throws when `timeout`
/// passes first. For end-to-end tests that wait on another process or a consumer to catch up; the bound is
/// generous because CI runs the suite twice on two shared cores (a three-instance scale-out missed 180 s at load ~8).
func eventually(
    _ what: String, timeout: Duration = .seconds(300), _ condition: () async throws -> Bool
) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(200))
    }
    Issue.record("timed out waiting until \(what)")
    throw CancellationError()
}
