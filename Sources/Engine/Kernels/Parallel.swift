import Dispatch
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A raw pointer that may cross into `concurrentPerform` workers.
///
/// `@unchecked Sendable`: every user writes disjoint index ranges from different workers, and the owning buffer
/// outlives the parallel loop (the loop returns before the buffer's scope ends).
struct SharedPointer<Element>: @unchecked Sendable {
    let base: UnsafeMutablePointer<Element>
}

/// Splits work across the machine's cores: on `KernelWorkerPool`'s threads, or with `DispatchQueue.concurrentPerform`
/// when the pool is busy.
public enum Parallel {
    /// Online processor count.
    public static var coreCount: Int {
        #if canImport(Glibc)
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        #else
        return 1
        #endif
    }

    /// Runs `body` over disjoint chunks of `0..<count`, using up to `threads` workers, each chunk at least
    /// `minimumChunk` long so tiny jobs stay on one thread. With `chunksPerWorker` > 1 the range is cut into that
    /// many chunks per worker and each worker takes the next chunk when it is free, so a worker slowed by another
    /// process on its core does not hold up the others.
    public static func forEachChunk(_ count: Int, threads: Int = Parallel.coreCount, minimumChunk: Int = 1,
                                    chunksPerWorker: Int = 1, _ body: @Sendable (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = max(1, min(threads, count / max(1, minimumChunk)))
        if workers == 1 { body(0 ..< count); return }
        let chunks = max(workers, min(workers * max(1, chunksPerWorker), count / max(1, minimumChunk)))
        let chunk = (count + chunks - 1) / chunks
        // `workers` iterations, not `chunks`: concurrentPerform may run as many iterations at once as the machine
        // has cores, and `threads` caps the parallelism.
        let next = Atomic<Int>(0)
        @Sendable func work(_: Int) {
            while true {
                let start = next.wrappingAdd(1, ordering: .relaxed).oldValue * chunk
                guard start < count else { return }
                body(start ..< min(count, start + chunk))
            }
        }
        if let pool = KernelWorkerPool.shared, workers <= pool.threadCount + 1, pool.run(workers, work) { return }
        DispatchQueue.concurrentPerform(iterations: workers, execute: work)
    }
}
