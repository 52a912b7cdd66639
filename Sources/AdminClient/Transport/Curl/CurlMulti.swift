internal import CCurl
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's one curl multi handle and the thread that drives it.
///
/// Every ``CurlTransport`` hands its transfers here, so all of them share one connection cache: a connection
/// to a host is kept alive and reused by the next request to it, whichever client sent the first. The thread
/// blocks in `curl_multi_poll` while nothing is ready, and is woken (`curl_multi_wakeup`) when a transfer is
/// submitted or cancelled.
///
/// `@unchecked Sendable`: the multi handle and `active` are only touched on the driving thread; the only state
/// shared with other threads is `inbox`, behind a `Mutex` (the thread is curl's, not the cooperative pool's,
/// so an actor cannot own it), plus `curl_multi_wakeup`, which libcurl documents as callable from any thread.
final class CurlMulti: @unchecked Sendable {
    /// The process's driver, started on first use; it lives as long as the process.
    static let shared: CurlMulti? = CurlMulti()

    /// Idle connections kept open for reuse.
    static let maximumIdleConnections = 64

    private let multi: UnsafeMutableRawPointer
    /// Transfers submitted since the driving thread last looked.
    private let inbox = Mutex<[CurlTransfer]>([])
    /// Transfers in the multi handle, by easy handle. Driving thread only.
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]

    private init?() {
        guard curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK, let multi = curl_multi_init() else { return nil }
        self.multi = multi
        // Idle connections kept for reuse (curl's default follows the number of transfers, so a burst of
        // concurrent requests would later evict connections still in use by sequential pollers).
        ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, Self.maximumIdleConnections)
        var thread = pthread_t()
        let started = pthread_create(
            &thread, nil,
            { context in
                guard let context else { return nil }
                let driver = Unmanaged<CurlMulti>.fromOpaque(context).takeRetainedValue()
                driver.drive()
                return nil
            }, Unmanaged.passRetained(self).toOpaque())
        guard started == 0 else {
            // The retain passed to the thread is never taken back: this driver leaks, which is harmless
            // (the process has no transport without it).
            curl_multi_cleanup(multi)
            return nil
        }
        pthread_detach(thread)
    }

    /// Hands `transfer` to the driving thread; its continuation is resumed when it completes, fails or is
    /// cancelled.
    func submit(_ transfer: CurlTransfer) {
        inbox.withLock { $0.append(transfer) }
        curl_multi_wakeup(multi)
    }

    /// Wakes the driving thread so it notices a transfer's cancellation.
    func wake() {
        curl_multi_wakeup(multi)
    }

    /// The driving loop: add what arrived, drop what was cancelled, let curl work, finish what completed,
    /// then sleep until a socket is ready, a timer is due or another thread wakes it. Never returns.
    private func drive() {
        var running: Int32 = 0
        var left: Int32 = 0
        while true {
            let arrived = inbox.withLock { inbox in
                defer { inbox.removeAll(keepingCapacity: true) }
                return inbox
            }
            for transfer in arrived {
                if transfer.isCancelled {
                    transfer.finishCancelled()
                } else if curl_multi_add_handle(multi, transfer.easy) == CURLM_OK {
                    active[transfer.easy] = transfer
                } else {
                    transfer.finish(failing: TransportFailure(code: .other, detail: "curl_multi_add_handle failed"))
                }
            }
            for (easy, transfer) in active where transfer.isCancelled {
                curl_multi_remove_handle(multi, easy)
                active[easy] = nil
                transfer.finishCancelled()
            }
            curl_multi_perform(multi, &running)
            while let message = curl_multi_info_read(multi, &left) {
                guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
                let result = message.pointee.data.result
                curl_multi_remove_handle(multi, easy)
                active.removeValue(forKey: easy)?.finish(result)
            }
            curl_multi_poll(multi, nil, 0, 1_000, nil)
        }
    }
}
