import Dispatch
import Engine
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// `Parallel.forEachChunk` on the kernel worker pool: every index exactly once, also when several threads call it
/// at once (one gets the pool, the others fall back to `concurrentPerform`) and when a body calls it again.
@Suite struct ParallelTests {
    /// Runs forEachChunk over `count` with `chunksPerWorker` and returns how often each index was visited.
    private func visits(_ count: Int, chunksPerWorker: Int = 1, minimumChunk: Int = 1) -> [Int] {
        let counters = UnsafeMutablePointer<Atomic<Int>>.allocate(capacity: count)
        for i in 0 ..< count { (counters + i).initialize(to: Atomic(0)) }
        defer {
            counters.deinitialize(count: count)
            counters.deallocate()
        }
        let shared = UncheckedCounters(base: counters)
        Parallel.forEachChunk(count, minimumChunk: minimumChunk, chunksPerWorker: chunksPerWorker) { range in
            for i in range { shared.base[i].add(1, ordering: .relaxed) }
        }
        return (0 ..< count).map { counters[$0].load(ordering: .relaxed) }
    }

    @Test func everyIndexOnce_AcrossShapes() {
        for count in [1, 2, 3, 17, 1000, 4096] {
            for chunks in [1, 8] {
                #expect(visits(count, chunksPerWorker: chunks) == Array(repeating: 1, count: count), "count \(count), chunks \(chunks)")
            }
        }
    }

    @Test func manyCallsInARow_EachComplete() {
        // Back-to-back calls find the pool's threads spinning; calls after a pause find them asleep.
        for round in 0 ..< 300 {
            #expect(visits(512, chunksPerWorker: 4).allSatisfy { $0 == 1 }, "round \(round)")
            if round % 100 == 99 { usleep(300_000) }
        }
    }

    @Test func concurrentCallers_EachGetEveryIndexOnce() {
        let failures = Atomic<Int>(0)
        DispatchQueue.concurrentPerform(iterations: 6) { caller in
            for _ in 0 ..< 50 where visits(300 + caller, chunksPerWorker: 2) != Array(repeating: 1, count: 300 + caller) {
                failures.add(1, ordering: .relaxed)
            }
        }
        #expect(failures.load(ordering: .relaxed) == 0)
    }

    @Test func nestedCalls_Complete() {
        let total = Atomic<Int>(0)
        Parallel.forEachChunk(8) { outer in
            for _ in outer {
                Parallel.forEachChunk(100) { inner in total.add(inner.count, ordering: .relaxed) }
            }
        }
        #expect(total.load(ordering: .relaxed) == 800)
    }
}

/// The counters' base address, shared with the workers (each index is only touched through its atomic).
private struct UncheckedCounters: @unchecked Sendable {
    let base: UnsafeMutablePointer<Atomic<Int>>
}
