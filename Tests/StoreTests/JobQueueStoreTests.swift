import Foundation
import Testing
@testable import Store

@Suite struct JobQueueStoreTests {
    @Test(arguments: StoreBackend.all)
    func leaseProgressCompleteAndCancel(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        _ = try store.registerWorker(Worker(workerID: "w1", host: "gpu-1", cores: 16, accelerator: "H100"))
        #expect(try store.listWorkers().map(\.workerID) == ["w1"])
        #expect(try store.leaseJob(workerID: "w1", leaseMilliseconds: 60_000) == nil)
        let low = try store.createJob(experimentID: "0", spec: #"{"model":"a"}"#, priority: 0)
        let high = try store.createJob(experimentID: "0", spec: #"{"model":"b"}"#, priority: 5)
        #expect(low.state == .queued)

        let leased = try #require(try store.leaseJob(workerID: "w1", leaseMilliseconds: 60_000))
        #expect(leased.jobID == high.jobID && leased.state == .running && leased.attempts == 1)
        let token = try #require(leased.leaseToken)
        let progressed = try store.updateJobProgress(
            id: high.jobID, leaseToken: token, progress: JobProgress(fraction: 0.5, message: "searching", bestSoFar: #"{"bits":4}"#),
            leaseMilliseconds: 60_000)
        #expect(progressed.progressFraction == 0.5 && progressed.bestSoFar == #"{"bits":4}"#)
        #expect(throws: StoreError.self) {
            try store.updateJobProgress(id: high.jobID, leaseToken: "stolen", progress: JobProgress(fraction: 0.6, message: ""), leaseMilliseconds: 1)
        }
        let run = try store.createRun(RunCreate(startTime: 1))
        #expect(try store.setJobRun(id: high.jobID, leaseToken: token, runID: run.info.runID).runID == run.info.runID)
        let done = try store.completeJob(id: high.jobID, leaseToken: token, state: .succeeded, error: nil)
        #expect(done.state == .succeeded && done.progressFraction == 1 && done.finishedAt != nil && done.leaseToken == nil)
        #expect(throws: StoreError.self) { try store.cancelJob(id: high.jobID) }

        let cancelled = try store.cancelJob(id: low.jobID)
        #expect(cancelled.state == .cancelled)
        #expect(try store.leaseJob(workerID: "w1", leaseMilliseconds: 1_000) == nil)
        #expect(try store.listJobs(experimentID: "0", states: [.succeeded], maxResults: 10, pageToken: nil).items.map(\.jobID) == [high.jobID])
        #expect(throws: StoreError.self) { try store.leaseJob(workerID: "ghost", leaseMilliseconds: 1_000) }
    }

    @Test(arguments: StoreBackend.all)
    func expiredLease_IsTakenOverAndOldTokenRefused(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        _ = try store.registerWorker(Worker(workerID: "w1", host: "a", cores: 1, accelerator: nil))
        _ = try store.registerWorker(Worker(workerID: "w2", host: "b", cores: 1, accelerator: nil))
        let job = try store.createJob(experimentID: "0", spec: "{}", priority: 0)
        let first = try #require(try store.leaseJob(workerID: "w1", leaseMilliseconds: 1))
        usleep(20_000)
        let second = try #require(try store.leaseJob(workerID: "w2", leaseMilliseconds: 60_000))
        #expect(second.jobID == job.jobID && second.attempts == 2 && second.leaseWorkerID == "w2")
        #expect(throws: StoreError.self) {
            try store.completeJob(id: job.jobID, leaseToken: first.leaseToken!, state: .failed, error: "late")
        }
    }

    @Test(arguments: StoreBackend.all)
    func concurrentLeasers_NeverShareAJob(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        for w in 0..<4 { _ = try store.registerWorker(Worker(workerID: "w\(w)", host: "h", cores: 1, accelerator: nil)) }
        let jobs = try (0..<40).map { _ in try store.createJob(experimentID: "0", spec: "{}", priority: 0).jobID }
        let collected = LeaseLog()
        DispatchQueue.concurrentPerform(iterations: 4) { w in
            while true {
                do {
                    guard let job = try store.leaseJob(workerID: "w\(w)", leaseMilliseconds: 60_000) else { return }
                    collected.add(job.jobID)
                } catch {
                    collected.fail("\(error)")
                    return
                }
            }
        }
        #expect(collected.failures.isEmpty, "\(collected.failures)")
        #expect(collected.ids.sorted() == jobs.sorted())
    }
}

private final class LeaseLog: @unchecked Sendable {
    // @unchecked Sendable: guarded by `lock`.
    private let lock = NSLock()
    private var _ids: [String] = []
    private var _failures: [String] = []
    func add(_ id: String) { lock.withLock { _ids.append(id) } }
    func fail(_ message: String) { lock.withLock { _failures.append(message) } }
    var ids: [String] { lock.withLock { _ids } }
    var failures: [String] { lock.withLock { _failures } }
}
