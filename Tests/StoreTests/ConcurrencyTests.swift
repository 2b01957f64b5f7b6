import Foundation
import Testing
@testable import Store

/// 8 writer and 8 reader threads for 10 s (MIXBIT_STORE_CONCURRENCY_SECONDS overrides) on each backend:
/// no errors, and afterwards the counts are exact.
@Suite struct ConcurrencyTests {
    static var seconds: Double {
        ProcessInfo.processInfo.environment["MIXBIT_STORE_CONCURRENCY_SECONDS"].flatMap(Double.init) ?? 10
    }

    @Test(arguments: StoreBackend.all)
    func eightWritersEightReaders(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let experiment = try store.createExperiment(name: "concurrency", artifactLocation: nil, tags: [])
        let runIDs = try (0..<8).map { _ in try store.createRun(RunCreate(experimentID: experiment, startTime: 1)).info.runID }
        let deadline = Date().addingTimeInterval(Self.seconds)
        let tally = Tally()
        let group = DispatchGroup()
        for writer in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var batch = 0
                while Date() < deadline {
                    // Batch b: 10 metric points at step b, one param, one tag (overwritten each time).
                    let metrics = (0..<10).map { Metric(key: "m\($0)", value: Double(batch), timestamp: Int64(batch), step: Int64(batch)) }
                    do {
                        try store.logBatch(
                            runID: runIDs[writer], metrics: metrics, params: [KeyValue(key: "p\(batch)", value: "v")],
                            tags: [KeyValue(key: "last", value: String(batch))])
                        batch += 1
                    } catch {
                        tally.fail("writer \(writer): \(error)")
                        return
                    }
                }
                tally.record(writer: writer, batches: batch)
            }
        }
        for reader in 0..<8 {
            group.enter()
            Thread.detachNewThread {
                defer { group.leave() }
                var reads = 0
                while Date() < deadline {
                    do {
                        let run = try store.getRun(id: runIDs[reader])
                        // Within one snapshot the latest value of every key matches the batch count seen.
                        if let last = run.tags.first(where: { $0.key == "last" }).flatMap({ Int($0.value) }) {
                            if run.metrics.count != 10 || run.metrics.contains(where: { Int($0.value) != last }) {
                                tally.fail("reader \(reader) saw a partial batch")
                                return
                            }
                        }
                        _ = try store.searchRuns(RunSearch(experimentIDs: [experiment], filter: "metrics.m0 >= 0", maxResults: 10))
                        reads += 1
                    } catch {
                        tally.fail("reader \(reader): \(error)")
                        return
                    }
                }
                tally.addReads(reads)
            }
        }
        group.wait()
        #expect(tally.failures.isEmpty, "\(tally.failures.prefix(5))")
        #expect(tally.reads > 0)
        for (writer, runID) in runIDs.enumerated() {
            let batches = tally.batches[writer] ?? -1
            #expect(batches > 0)
            let run = try store.getRun(id: runID)
            #expect(run.params.count == batches)
            #expect(run.tags.first { $0.key == "last" }?.value == String(batches - 1))
            let history = try store.getMetricHistory(runID: runID, key: "m3", maxResults: nil, pageToken: nil)
            #expect(history.items.count == batches)
            #expect(run.metrics.first { $0.key == "m3" }?.step == Int64(batches - 1))
        }
    }
}

private final class Tally: @unchecked Sendable {
    // @unchecked Sendable: every property is guarded by `lock`.
    private let lock = NSLock()
    private var _failures: [String] = []
    private var _batches: [Int: Int] = [:]
    private var _reads = 0

    func fail(_ message: String) { lock.withLock { _failures.append(message) } }
    func record(writer: Int, batches: Int) { lock.withLock { _batches[writer] = batches } }
    func addReads(_ n: Int) { lock.withLock { _reads += n } }
    var failures: [String] { lock.withLock { _failures } }
    var batches: [Int: Int] { lock.withLock { _batches } }
    var reads: Int { lock.withLock { _reads } }
}
