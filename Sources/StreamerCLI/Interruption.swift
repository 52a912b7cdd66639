import ArgumentParser
import UnixSignals

/// Runs work that SIGINT or SIGTERM should stop in order rather than kill: the first signal cancels the work
/// (the streamer then finishes or aborts its open transaction and returns what it did) and is reported.
enum Interruption {
    /// The result of work run under ``run(_:)``.
    enum Outcome<Value: Sendable>: Sendable {
        /// The work finished.
        case finished(Value)
        /// A signal stopped it; `value` is what it returned when cancelled, if it returned.
        case interrupted(by: UnixSignal, value: Value?)
    }

    private enum Event<Value: Sendable>: Sendable {
        case finished(Value)
        case signal(UnixSignal?)
    }

    /// Runs `work` until it returns or a signal arrives.
    ///
    /// - Throws: what `work` throws, unless a signal stopped it.
    static func run<Value: Sendable>(_ work: @escaping @Sendable () async throws -> Value) async throws -> Outcome<Value> {
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        return try await withThrowingTaskGroup(of: Event<Value>.self) { group in
            group.addTask { .finished(try await work()) }
            group.addTask {
                for await signal in signals { return .signal(signal) }
                return .signal(nil)
            }
            var signal: UnixSignal?
            var value: Value?
            do {
                while let event = try await group.next() {
                    switch event {
                    case .finished(let finished):
                        value = finished
                        group.cancelAll()
                    case .signal(let received?) where value == nil:
                        signal = received
                        group.cancelAll()
                    case .signal:
                        break
                    }
                }
            } catch {
                guard signal != nil else { throw error }
            }
            if let signal { return .interrupted(by: signal, value: value) }
            guard let value else { throw CancellationError() }
            return .finished(value)
        }
    }

    /// 128 + the signal number: 130 for SIGINT, 143 for SIGTERM.
    static func exitCode(for signal: UnixSignal) -> ExitCode { ExitCode(128 + signal.rawValue) }
}
