import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Persistent threads that `Parallel.forEachChunk` hands its work to, so that a GEMV of a few hundred µs does not
/// pay for waking a dispatch worker on every call.
///
/// `DispatchQueue.concurrentPerform` took 15–40 µs to start its first iteration and 45–140 µs to start the second
/// one on this project's 2-vCPU machine (traced per call on the 4096×4096 W4 GEMV), up to a quarter of the call.
/// These threads instead spin for `spinNanoseconds` after each job, as OpenMP runtimes and OpenBLAS do, and only
/// then block on a condition variable: the calls of one forward pass come back to back and find them awake.
///
/// One job at a time: a caller that finds the pool busy (another thread's job, or a nested call) gets `false`
/// from `run` and falls back to `concurrentPerform`.
///
/// `@unchecked Sendable`: `job` and `participants` are written only by the caller that holds `busy`, before the
/// release increment of `generation` that the workers acquire; `running` orders the workers' results before the
/// caller's return.
final class KernelWorkerPool: @unchecked Sendable {
    /// One thread fewer than the machine has cores (the caller is the other participant); nil on one core.
    static let shared: KernelWorkerPool? = {
        #if canImport(Glibc)
        let threads = Parallel.coreCount - 1
        return threads > 0 ? KernelWorkerPool(threads: threads) : nil
        #else
        return nil
        #endif
    }()

    /// How long an idle worker keeps polling for the next job before it sleeps: 10 ms, so that the GEMVs of a
    /// forward pass, and calls a few milliseconds apart, find it awake. Waking a sleeping worker cost 35–250 µs
    /// here (a futex wake of a halted vCPU), a third of a 4096×4096 int4 GEMV. OpenBLAS's threads poll for 2^28
    /// cycles (about 0.1 s) after each call for the same reason.
    static let spinNanoseconds: UInt64 = 10_000_000

    let threadCount: Int
    private let busy = Atomic<Bool>(false)
    private let generation = Atomic<Int>(0)
    private let running = Atomic<Int>(0)
    private let participants = Atomic<Int>(0)
    private var job: (@Sendable (Int) -> Void)?
    #if canImport(Glibc)
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    #endif

    private init(threads: Int) {
        threadCount = threads
        #if canImport(Glibc)
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(wake, nil)
        for index in 1 ... threads {
            let context = Unmanaged.passRetained(WorkerContext(pool: self, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.pool.workerLoop(index: context.index)
            }, context)
            precondition(status == 0, "KernelWorkerPool: pthread_create failed with \(status)")
            pthread_detach(thread)
        }
        #endif
    }

    /// Runs `body(i)` for i in 0..<`count` at once, `body(0)` on the calling thread, and returns when all have
    /// returned. `count` must not exceed `threadCount + 1`. Returns false, having run nothing, when the pool is
    /// already running another job.
    func run(_ count: Int, _ body: @Sendable (Int) -> Void) -> Bool {
        precondition(count <= threadCount + 1, "KernelWorkerPool: more participants than threads")
        guard busy.compareExchange(expected: false, desired: true, ordering: .acquiring).exchanged else { return false }
        defer { busy.store(false, ordering: .releasing) }
        withoutActuallyEscaping(body) { body in
            job = body
            participants.store(count, ordering: .relaxed)
            running.store(threadCount, ordering: .relaxed)
            #if canImport(Glibc)
            // Under the mutex, so a worker between its last check of `generation` and its wait cannot miss it.
            pthread_mutex_lock(mutex)
            generation.add(1, ordering: .releasing)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(mutex)
            #endif
            body(0)
            while running.load(ordering: .acquiring) > 0 {}
            job = nil
        }
        return true
    }

    #if canImport(Glibc)
    private func workerLoop(index: Int) -> Never {
        var seen = 0
        while true {
            seen = awaitGeneration(after: seen)
            if index < participants.load(ordering: .relaxed) { runJob(index) }
            running.subtract(1, ordering: .releasing)
        }
    }

    /// Separate from the loop so that the worker's copy of the closure is released before `running` says it is
    /// done (`withoutActuallyEscaping` checks that no copy outlives the call).
    @inline(never)
    private func runJob(_ index: Int) { job?(index) }

    /// Polls `generation` until it moves past `seen`, for `spinNanoseconds`, then sleeps until it does.
    private func awaitGeneration(after seen: Int) -> Int {
        let deadline = Self.monotonicNanoseconds() &+ Self.spinNanoseconds
        var polls = 0
        while true {
            let current = generation.load(ordering: .acquiring)
            if current != seen { return current }
            polls &+= 1
            if polls & 255 == 0, Self.monotonicNanoseconds() > deadline { break }
        }
        pthread_mutex_lock(mutex)
        var current = generation.load(ordering: .acquiring)
        while current == seen {
            pthread_cond_wait(wake, mutex)
            current = generation.load(ordering: .acquiring)
        }
        pthread_mutex_unlock(mutex)
        return current
    }

    private static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) &* 1_000_000_000 &+ UInt64(now.tv_nsec)
    }
    #endif

    /// What `pthread_create` passes to a new worker.
    private final class WorkerContext {
        let pool: KernelWorkerPool
        let index: Int
        init(pool: KernelWorkerPool, index: Int) {
            self.pool = pool
            self.index = index
        }
    }
}
