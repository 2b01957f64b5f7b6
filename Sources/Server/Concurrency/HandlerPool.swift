#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A fixed set of threads that run request handlers, so a handler that blocks (a database call, a file write)
/// never stalls an event loop. Jobs run in submission order on whichever thread is free.
final class HandlerPool: @unchecked Sendable {
    // Safe to share: `jobs`, `stopping` and `running` are only touched under `lock`; `waiting` and the slots are
    // atomics.
    private let lock = ConditionLock()
    private var jobs: [@Sendable () -> Void] = []
    private var jobsHead = 0
    private var stopping = false
    private var threads: [pthread_t] = []
    /// Jobs submitted and not yet taken by a thread.
    private let waiting = Atomic<Int>(0)
    /// Threads holding a lingering connection (see `beginLinger`).
    private let lingering: Slots
    /// Handlers reading a streamed request body. A client that sends its upload a byte at a time holds a thread for
    /// as long as it likes, so uploads may take only half the threads, and the rest stay free for every other
    /// request.
    private let streaming: Slots
    var streamingLimit: Int { streaming.limit }

    init(threadCount: Int) {
        precondition(threadCount > 0, "the handler pool needs at least one thread")
        // A quarter of the threads (at least two) stay free for new jobs whatever the lingering connections do.
        lingering = Slots(limit: max(0, threadCount - max(2, threadCount / 4)))
        streaming = Slots(limit: max(1, threadCount / 2))
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
        waiting.wrappingAdd(1, ordering: .relaxed)
        lock.withLock {
            jobs.append(job)
            lock.signal()
        }
    }

    /// Asks whether the calling handler thread may keep waiting on its connection for the next request
    /// instead of returning to the pool: only while no job waits for a thread and enough threads stay free.
    /// A true answer must be paired with `endLinger()`.
    func beginLinger() -> Bool {
        waiting.load(ordering: .relaxed) == 0 && lingering.take()
    }

    func endLinger() { lingering.giveBack() }

    /// Asks for a thread to read a streamed request body; false when `streamingLimit` are already reading one.
    /// A true answer must be paired with `endStreaming()`.
    func beginStreaming() -> Bool { streaming.take() }

    func endStreaming() { streaming.giveBack() }

    /// Whether a submitted job is waiting for a thread; a lingering thread then stops waiting.
    var hasWaitingJobs: Bool { waiting.load(ordering: .relaxed) > 0 }

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
            waiting.wrappingSubtract(1, ordering: .relaxed)
            // Compact now and then so the queue does not grow without bound.
            if jobsHead > 1024 && jobsHead * 2 > jobs.count {
                jobs.removeFirst(jobsHead)
                jobsHead = 0
            }
            return job
        }
    }
}
