import Foundation
import Testing
@testable import Store

/// A child process writes batches and prints each acknowledged one; SIGKILL at random moments, at least 10
/// times; after reopening, every acknowledged batch is present and no batch is half-applied.
@Suite struct CrashSafetyTests {
    /// The helper is built beside the test bundle (StoreTests depends on it).
    private static var helperPath: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        // On Linux the test binary is .build/<config>/mixbitPackageTests.xctest: its directory holds the products.
        if !FileManager.default.fileExists(atPath: directory.appendingPathComponent("mixbit-store-crash-writer").path) {
            directory = directory.deletingLastPathComponent()
        }
        return directory.appendingPathComponent("mixbit-store-crash-writer").path
    }

    @Test func acknowledgedBatchesSurviveSIGKILL() throws {
        guard case .sqlite(let path) = try StoreBackend.sqlite.makeLocation() else { return }
        let setup = try SQLStore.open(.sqlite(path: path))
        let runID = try setup.createRun(RunCreate(startTime: 1)).info.runID
        setup.close()
        #expect(FileManager.default.isExecutableFile(atPath: Self.helperPath), "missing \(Self.helperPath)")

        var acknowledged: Set<Int> = []
        var next = 0
        let threads = 4
        for round in 0..<12 {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.helperPath)
            process.arguments = [path, runID, String(next), String(threads)]
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            // Read in the background so the child never blocks on a full pipe.
            let collected = OutputCollector()
            let reader = Thread { collected.drain(output.fileHandleForReading) }
            reader.start()
            collected.waitForFirstAcknowledgement(seconds: 60)
            usleep(UInt32.random(in: 50_000...400_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            #expect(process.terminationReason == .uncaughtSignal, "round \(round): the child should die by SIGKILL")
            let acks = collected.waitForLines().compactMap { line -> Int? in
                line.hasPrefix("ACK ") ? Int(line.dropFirst(4)) : nil
            }
            #expect(!acks.isEmpty, "round \(round): the child acknowledged nothing")
            acknowledged.formUnion(acks)
            next = (acknowledged.max() ?? next) + 1000  // fresh batch numbers for the next child
        }

        let store = try SQLStore.open(.sqlite(path: path))
        defer { store.close() }
        let (params, stepsPerKey) = try store.read { db in
            let params = Set(try db.query("SELECT key FROM params WHERE run_uuid = \(runID)").map { Int($0.string(0).dropFirst())! })
            var steps: [String: Set<Int>] = [:]
            for key in (0..<10).map({ "k\($0)" }) {
                steps[key] = Set(try SQLStore.history(db, runID: runID, key: key).map { Int($0.step) })
            }
            return (params, steps)
        }
        #expect(acknowledged.isSubset(of: params), "acknowledged batches lost: \(acknowledged.subtracting(params).sorted().prefix(10))")
        // Every batch present is complete: its param and all ten metric rows.
        for key in (0..<10).map({ "k\($0)" }) {
            #expect(stepsPerKey[key] == params, "metric \(key) disagrees with the params: half-applied batch")
        }
        #expect(acknowledged.count >= 12)
    }
}

/// Collects a pipe's lines until EOF (the child's death closes the write end).
private final class OutputCollector: @unchecked Sendable {
    // @unchecked Sendable: `data` and `finished` are guarded by `condition`.
    private let condition = NSCondition()
    private var data = Data()
    private var finished = false

    func drain(_ handle: FileHandle) {
        while true {
            let chunk = handle.availableData
            condition.lock()
            if chunk.isEmpty { finished = true } else { data.append(chunk) }
            condition.broadcast()
            condition.unlock()
            if chunk.isEmpty { return }
        }
    }

    /// Waits until the child has acknowledged its first batch (or exited, or `seconds` passed), so that a kill
    /// always lands while it is writing, however slowly a loaded machine starts it.
    func waitForFirstAcknowledgement(seconds: Double) {
        let deadline = Date().addingTimeInterval(seconds)
        condition.lock()
        while !finished && !String(decoding: data, as: UTF8.self).contains("ACK ") {
            if !condition.wait(until: deadline) { break }
        }
        condition.unlock()
    }

    /// Complete lines only: a line cut off by the kill was never fully acknowledged.
    func waitForLines() -> [String] {
        condition.lock()
        while !finished { condition.wait() }
        let text = String(decoding: data, as: UTF8.self)
        condition.unlock()
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()  // after the last "\n": empty, or a partial line
        return lines
    }
}
