import CRdKafka
import Dispatch
import Synchronization

/// A dedicated thread calling `rd_kafka_poll(rk, 50 ms)` (serving delivery reports) until stopped.
final class RdKafkaPoller: Sendable {
    private let stopRequested = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    init(handle: RdKafkaHandle, name: String) {
        DedicatedThread.start(name: name) { [self, handle] in
            while !self.stopRequested.load(ordering: .acquiring) {
                rd_kafka_poll(handle.pointer, 50)
            }
            self.finished.signal()
        }
    }

    /// Asks the thread to stop without waiting (for `deinit`).
    func requestStop() {
        stopRequested.store(true, ordering: .releasing)
    }

    /// Stops the thread and waits for it (blocking: call off the cooperative pool).
    func stopAndWait() {
        if stopRequested.exchange(true, ordering: .acquiringAndReleasing) == false {
            finished.wait()
        }
    }
}
