// Child process for StoreTests' crash-safety test: writes log-batches in a loop from several threads and prints
// "ACK <n>" for each batch only after the store acknowledged it (i.e. after its transaction committed). The
// parent kills it with SIGKILL at random moments and then checks that every acknowledged batch is complete.
//   mixbit-store-crash-writer <sqlite-path> <run-id> <first-batch-number> <threads>
import Foundation
import Store

let arguments = CommandLine.arguments
guard arguments.count == 5, let first = Int(arguments[3]), let threads = Int(arguments[4]) else {
    FileHandle.standardError.write(Data("usage: mixbit-store-crash-writer PATH RUN_ID FIRST THREADS\n".utf8))
    exit(2)
}
let store = try SQLStore.open(.sqlite(path: arguments[1]))
let runID = arguments[2]
/// Batch n: one param `p<n>` and 10 metrics `k0…k9` at step n — complete only if all 11 rows exist.
for thread in 0..<threads {
    Thread.detachNewThread {
        var n = first + thread
        while true {
            let metrics = (0..<10).map { Metric(key: "k\($0)", value: Double(n), timestamp: Int64(n), step: Int64(n)) }
            do {
                try store.logBatch(runID: runID, metrics: metrics, params: [KeyValue(key: "p\(n)", value: "\(n)")], tags: [])
                // One unbuffered write(2) per line, issued only after logBatch returned (= committed).
                FileHandle.standardOutput.write(Data("ACK \(n)\n".utf8))
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                exit(1)
            }
            n += threads
        }
    }
}
while true { sleep(60) }
