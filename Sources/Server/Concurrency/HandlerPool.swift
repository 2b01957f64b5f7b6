#if canImport(Glibc)
import Glibc
#endif

/// A fixed set of threads that run request handlers, so a handler that blocks (a database call, a file write)
/// never stalls an event loop. Jobs run in submission order on whichever thread is free.
final class HandlerPool: @unchecked Sendable {
    // Safe to share: `jobs`, `stopping` and `running` are only touched under `lock`.
    private let lock = ConditionLock()
    private var jobs: [@Sendable () -> Void] = []
    private var jobsHead = 0
    private var stopping = false
    private var threads: [pthread_t] = []

    init(threadCount: Int) {
        precondition(threadCount > 0, "the handler pool needs at least one thread")
        for _ in 0..<threadCount {
            let box = Unmanaged.passRetained(self)
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let pool = Unmanaged<HandlerPool>.fromOpaque(raw!).takeRetainedValue()
                pool.workLoop()
                return nil
            }, box.toOpaque())
            precondition(status == 0, "pthread_create failed: \(status)")
            threads.append(thread)
        }
    }

    func submit(_ job: @escaping @Sendable () -> Void) {
        lock.withLock {
            jobs.append(job)
            lock.signal()
        }
    }

    /// Lets queued jobs finish, then joins every thread.
    func shutdown() {
        lock.withLock {
            stopping = true
            lock.broadcast()
        }
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
    }

    private func workLoop() {
        while let job = takeJob() { job() }
    }

    private func takeJob() -> (@Sendable () -> Void)? {
        lock.withLock {
            while jobsHead == jobs.count && !stopping { lock.wait() }
            guard jobsHead < jobs.count else { return nil }
            let job = jobs[jobsHead]
            jobsHead += 1
            // Compact now and then so the queue does not grow without bound.
            if jobsHead > 1024 && jobsHead * 2 > jobs.count {
                jobs.removeFirst(jobsHead)
                jobsHead = 0
            }
            return job
        }
    }
}
