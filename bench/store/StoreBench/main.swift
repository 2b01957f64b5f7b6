// Metric ingestion benchmark for the Store: W writer threads, each logging batches of B metric points to its
// own run through `logBatch` for S seconds; prints one JSON line with points per second.
//   mixbit-store-bench <backend-store-uri> <batch-size> <writers> <seconds>
import Foundation
import Store

let arguments = CommandLine.arguments
guard arguments.count == 5, let batchSize = Int(arguments[2]), let writers = Int(arguments[3]),
    let seconds = Double(arguments[4])
else {
    FileHandle.standardError.write(Data("usage: mixbit-store-bench URI BATCH WRITERS SECONDS\n".utf8))
    exit(2)
}
let location = try StoreLocation(uri: arguments[1])
let store = try SQLStore.open(location)
let experiment = try store.createExperiment(name: "bench-\(UUID().uuidString)", artifactLocation: nil, tags: [])
let runs = try (0..<writers).map { _ in
    try store.createRun(RunCreate(experimentID: experiment, startTime: Int64(Date().timeIntervalSince1970 * 1000))).info.runID
}
/// 10 keys per batch, batchSize / 10 steps each, steps increasing from batch to batch (like a training loop).
@Sendable func batch(_ n: Int, size: Int) -> [Metric] {
    let stepsPerBatch = max(1, size / 10)
    return (0..<size).map { i in
        let step = Int64(n * stepsPerBatch + i / 10)
        return Metric(key: "metric_\(i % 10)", value: Double(i) * 0.001 + Double(n), timestamp: 1_700_000_000_000 + step, step: step)
    }
}

/// Batches and failures summed over the writer threads.
final class Totals: @unchecked Sendable {
    // @unchecked Sendable: both counters are guarded by `lock`.
    private let lock = NSLock()
    private var batches = 0
    private var failures = 0
    func add(batches b: Int, failures f: Int) { lock.withLock { batches += b; failures += f } }
    var snapshot: (batches: Int, failures: Int) { lock.withLock { (batches, failures) } }
}

let totals = Totals()
let start = Date()
let deadline = start.addingTimeInterval(seconds)
// One dedicated thread per writer (DispatchQueue.concurrentPerform would cap concurrency at the core count).
let finished = DispatchGroup()
for w in 0..<writers {
    finished.enter()
    Thread.detachNewThread {
        var n = 0
        var failed = 0
        while Date() < deadline {
            do {
                try store.logBatch(runID: runs[w], metrics: batch(n, size: batchSize), params: [], tags: [])
            } catch {
                failed += 1
            }
            n += 1
        }
        totals.add(batches: n - failed, failures: failed)
        finished.leave()
    }
}
finished.wait()
let elapsed = Date().timeIntervalSince(start)
let groups = store.groupCommitCounts
store.close()
let (totalBatches, failures) = totals.snapshot
let points = totalBatches * batchSize
let backend = arguments[1].hasPrefix("sqlite") ? "sqlite" : "postgresql"
print(
    #"{"impl": "mixbit", "backend": "\#(backend)", "batch": \#(batchSize), "writers": \#(writers), "points": \#(points), "#
        + #""seconds": \#(String(format: "%.2f", elapsed)), "points_per_s": \#(Int(Double(points) / elapsed)), "failures": \#(failures)"#
        + (groups.map { #", "avg_group": \#(String(format: "%.1f", Double($0.writes) / Double(max(1, $0.transactions))))"# } ?? "") + "}")
