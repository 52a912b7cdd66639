import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A named thread of its own for a blocking loop (librdkafka's poll calls), made with `pthread_create` so that
/// the module needs no Foundation `Thread` (the `streamer` executable links FoundationEssentials only).
enum DedicatedThread {
    /// Starts `body` on a new detached thread called `name` (at most 15 bytes are kept, the kernel's limit).
    /// Should the system refuse a thread, `body` runs on a Dispatch worker instead: the loop still runs.
    static func start(name: String, _ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(Context(name: name, body: body)).toOpaque()
        #if canImport(Darwin)
        var thread: pthread_t?
        #else
        var thread = pthread_t()
        #endif
        let created = pthread_create(&thread, nil, { raw in
            guard let raw else { return nil }
            let context = Unmanaged<Context>.fromOpaque(raw).takeRetainedValue()
            context.nameCurrentThread()
            context.body()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<Context>.fromOpaque(context).release()
            DispatchQueue.global().async(execute: body)
            return
        }
        #if canImport(Darwin)
        if let thread { pthread_detach(thread) }
        #else
        pthread_detach(thread)
        #endif
    }

    /// What the new thread receives.
    private final class Context {
        let name: String
        let body: @Sendable () -> Void

        init(name: String, body: @escaping @Sendable () -> Void) {
            self.name = name
            self.body = body
        }

        /// Names the calling thread (as Foundation's `Thread.name` did), for `top -H` and debuggers.
        func nameCurrentThread() {
            let short = String(decoding: name.utf8.prefix(15), as: UTF8.self)
            #if canImport(Darwin)
            _ = pthread_setname_np(short)
            #else
            // Glibc's module leaves out the GNU extension `pthread_setname_np`: look it up by name.
            typealias SetName = @convention(c) (pthread_t, UnsafePointer<CChar>) -> Int32
            guard let process = dlopen(nil, RTLD_NOW), let symbol = dlsym(process, "pthread_setname_np") else { return }
            _ = unsafeBitCast(symbol, to: SetName.self)(pthread_self(), short)
            #endif
        }
    }
}
