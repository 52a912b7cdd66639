import Logging

/// Keeps one streamer running for a fleet member or a scale-out unit: makes it, runs it until cancelled, and
/// after a failure (a revoked key, an API or broker outage at start) makes it again after a delay. A fenced
/// streamer is not restarted: another instance owns that work now.
enum StreamerSupervisor {
    /// Runs until cancelled, until the streamer stops on its own, or until it is fenced.
    ///
    /// - Parameters:
    ///   - restartDelay: the wait before a failed streamer is made again.
    ///   - logger: carries the organization or unit in its metadata.
    ///   - make: makes the streamer (checks the key, reaches the brokers, loads checkpoints).
    ///   - admission: when given, each start waits for a turn and holds it until every table has finished its
    ///     first cycle (or the streamer stops or fails first).
    static func keepRunning(
        restartDelay: Duration, logger: Logger, admission: OrganizationAdmission? = nil,
        make: () async throws(StreamerError) -> Streamer
    ) async {
        while !Task.isCancelled {
            let turn: OrganizationAdmission.Turn?
            if let admission {
                // Cancelled while waiting for a turn: stopped before it started.
                guard let given = await admission.turn() else { return }
                turn = given
            } else {
                turn = nil
            }
            do throws(StreamerError) {
                let streamer: Streamer
                do throws(StreamerError) {
                    streamer = try await make()
                } catch {
                    await turn?.end()
                    throw error
                }
                do {
                    try await streamer.run(firstCyclesDone: { await turn?.end() })
                } catch let error as StreamerError {
                    await turn?.end()
                    throw error
                } catch {}  // cancellation: a normal end
                await turn?.end()
                return
            } catch {
                if Task.isCancelled { return }
                if error.code == .fenced {
                    logger.notice("Stopped: another instance owns this work", metadata: [LoggingKeys.error: "\(error.reason)"])
                    return
                }
                logger.error(
                    "Failed; the rest goes on, and this restarts after a delay",
                    metadata: [LoggingKeys.error: "\(error.reason)", LoggingKeys.restartIn: "\(restartDelay)"])
                try? await Task.sleep(for: restartDelay)
            }
        }
    }
}
