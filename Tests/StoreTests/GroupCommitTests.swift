import Foundation
import Testing
@testable import Store

/// The SQLite writer coalesces concurrent writes into one transaction, each in its own SAVEPOINT: a failing
/// caller is rolled back alone and every caller gets its own answer, after COMMIT.
@Suite struct GroupCommitTests {
    private struct Boom: Error {}

    @Test func failingMembers_AreRolledBackAlone() throws {
        guard case .sqlite(let path) = try StoreBackend.sqlite.makeLocation() else { return }
        let database = try SQLiteDatabase(path: path)
        try database.withWriterBeforeStart { try $0.executeScript("CREATE TABLE items (id INTEGER PRIMARY KEY)") }
        database.start()
        defer { database.close() }

        let outcomes = Outcomes()
        DispatchQueue.concurrentPerform(iterations: 16) { worker in
            for round in 0..<25 {
                let id = worker * 1000 + round
                let shouldFail = id % 3 == 0
                do {
                    try database.write { db in
                        try db.execute("INSERT INTO items (id) VALUES (\(Int64(id)))")
                        if shouldFail { throw Boom() }
                    }
                    outcomes.record(id, failed: false)
                } catch {
                    outcomes.record(id, failed: true)
                }
            }
        }
        let stored = Set(try database.read { db in try db.query("SELECT id FROM items").map { Int($0.int64(0)) } })
        #expect(outcomes.failed == Set(outcomes.all.filter { $0 % 3 == 0 }))
        #expect(stored == outcomes.succeeded)
        let (transactions, writes) = database.groupCommitCounts
        #expect(writes == 16 * 25)
        #expect(transactions <= writes)
    }

    @Test func writesAfterClose_AreRefused() throws {
        guard case .sqlite(let path) = try StoreBackend.sqlite.makeLocation() else { return }
        let database = try SQLiteDatabase(path: path)
        database.start()
        database.close()
        #expect(throws: StoreError.self) { try database.write { _ in 1 } }
    }
}

private final class Outcomes: @unchecked Sendable {
    // @unchecked Sendable: guarded by `lock`.
    private let lock = NSLock()
    private var ok: Set<Int> = []
    private var bad: Set<Int> = []
    func record(_ id: Int, failed: Bool) { _ = lock.withLock { failed ? bad.insert(id) : ok.insert(id) } }
    var succeeded: Set<Int> { lock.withLock { ok } }
    var failed: Set<Int> { lock.withLock { bad } }
    var all: Set<Int> { lock.withLock { ok.union(bad) } }
}
