import Foundation

/// SQLite behind the `SQLDatabase` interface: one writer connection doing group commit, plus a pool of reader
/// connections (WAL lets readers run while the writer writes).
///
/// Group commit: concurrent `write` calls enqueue closures. The caller at the head of the queue, when no group is
/// running, becomes the leader: it takes everything queued, runs it on the writer connection in one transaction
/// with each closure inside its own SAVEPOINT (so one failing caller is rolled back alone), commits once, and only
/// then wakes every caller with its own result; then it hands leadership to the next queued caller. Throughput is
/// therefore not bounded by one commit per request, no caller is answered before its data is durable to the
/// configured `synchronous` level, and an uncontended write runs on its caller's thread with no hand-off.
final class SQLiteDatabase: SQLDatabase, @unchecked Sendable {
    // @unchecked Sendable: `queue`, `leaderActive`, `closed`, `started` and the counters are guarded by
    // `queueCondition`; `readers` by `readerCondition`; `writer` is used only by the current leader
    // (`leaderActive` makes that exclusive), or by init/migrations before `start()`.

    struct Configuration: Sendable {
        var connection = SQLiteConnection.Configuration()
        var readerCount = 4
        /// Page cache of each reader, in KiB: smaller than the writer's, because readers are several and the OS
        /// page cache already holds the file they read (a miss costs one pread(2), not a disk read), while the
        /// writer keeps the hot b-tree pages it modifies on every commit.
        var readerCacheKibibytes = 1_024
        /// Upper bound on closures coalesced into one transaction, so one transaction stays short.
        var maxGroupSize = 512
    }

    let dialect = SQLDialect.sqlite
    private let writer: SQLiteConnection
    private let queueCondition = NSCondition()
    private var queue: [WriteJob] = []
    private var closed = false
    private var transactions = 0
    private var writesCommitted = 0
    private var started = false
    private var leaderActive = false
    private let readerCondition = NSCondition()
    private var readers: [SQLiteConnection] = []
    private let configuration: Configuration
    private let inMemory: Bool

    init(path: String, configuration: Configuration = Configuration()) throws {
        self.configuration = configuration
        inMemory = path == ":memory:"
        if !inMemory {
            let directory = (path as NSString).deletingLastPathComponent
            if !directory.isEmpty {
                try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            }
        }
        do {
            writer = try SQLiteConnection(path: path, configuration: configuration.connection)
            if !inMemory {
                var readerConfiguration = configuration.connection
                readerConfiguration.readOnly = true
                readerConfiguration.cacheKibibytes = configuration.readerCacheKibibytes
                for _ in 0..<max(1, configuration.readerCount) {
                    readers.append(try SQLiteConnection(path: path, configuration: readerConfiguration))
                }
            }
        } catch {
            throw StoreError.database(error.failure)
        }
    }

    /// Runs `body` on the writer connection before writes open (migrations need their own transaction control).
    func withWriterBeforeStart<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T { try body(writer) }

    /// Opens the database for writes. Called once, after migrations.
    func start() {
        queueCondition.lock()
        started = true
        queueCondition.unlock()
    }

    /// Refuses new writes and waits for the running group to finish.
    func close() {
        queueCondition.lock()
        closed = true
        while leaderActive || !queue.isEmpty {
            queueCondition.unlock()
            usleep(1_000)
            queueCondition.lock()
        }
        queueCondition.unlock()
    }

    // MARK: - Reads

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T {
        // An in-memory database exists only on the writer connection, so reads go through the write queue.
        if inMemory { return try write(body) }
        readerCondition.lock()
        while readers.isEmpty { readerCondition.wait() }
        let connection = readers.removeLast()
        readerCondition.unlock()
        defer {
            readerCondition.lock()
            readers.append(connection)
            readerCondition.signal()
            readerCondition.unlock()
        }
        // A read transaction gives the closure one consistent snapshot across its statements.
        do { _ = try connection.queryRaw("BEGIN") } catch { throw StoreError.database(error.failure) }
        defer { _ = try? connection.queryRaw("COMMIT") }
        return try body(connection)
    }

    // MARK: - Writes (group commit)

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T {
        let box = ResultBox<T>()
        let job = WriteJob { session in box.value = try body(session) }
        queueCondition.lock()
        guard !closed, started else {
            queueCondition.unlock()
            throw StoreError.invalidState("the store is closed")
        }
        queue.append(job)
        let leadsNow = !leaderActive && queue.first === job
        if leadsNow { leaderActive = true }
        queueCondition.unlock()
        if leadsNow || job.waitForCommitOrLeadership() == .lead {
            lead()
        }
        try job.throwIfFailed()
        guard let value = box.value else { throw StoreError.invalidState("write produced no result") }
        return value
    }

    /// Runs one group as the leader (with `leaderActive` set), then passes leadership to the next queued caller.
    private func lead() {
        queueCondition.lock()
        let take = min(queue.count, configuration.maxGroupSize)
        let group = Array(queue.prefix(take))
        queue.removeFirst(take)
        queueCondition.unlock()
        runGroup(group)
        queueCondition.lock()
        let next = queue.first
        leaderActive = next != nil
        queueCondition.unlock()
        next?.promoteToLeader()
    }

    // Transaction control goes through the statement cache (queryRaw), not sqlite3_exec, so it is parsed once.
    private func runGroup(_ group: [WriteJob]) {
        do {
            _ = try writer.queryRaw("BEGIN IMMEDIATE")
        } catch {
            for job in group { job.finish(.database(error.failure)) }
            return
        }
        var outcomes: [StoreError?] = []
        outcomes.reserveCapacity(group.count)
        for job in group {
            do {
                _ = try writer.queryRaw("SAVEPOINT group_member")
            } catch {
                abandon(group, error)
                return
            }
            do {
                try job.body(writer)
                _ = try writer.queryRaw("RELEASE group_member")
                outcomes.append(nil)
            } catch {
                do {
                    _ = try writer.queryRaw("ROLLBACK TO group_member")
                    _ = try writer.queryRaw("RELEASE group_member")
                } catch let rollbackError {
                    // The member's partial writes could not be undone alone: undo the whole group instead.
                    abandon(group, rollbackError)
                    return
                }
                outcomes.append(StoreError.wrap(error))
            }
        }
        do {
            _ = try writer.queryRaw("COMMIT")
        } catch {
            abandon(group, error)
            return
        }
        queueCondition.lock()
        transactions += 1
        writesCommitted += group.count
        queueCondition.unlock()
        for (job, outcome) in zip(group, outcomes) { job.finish(outcome) }
    }

    /// Rolls the whole transaction back and fails every member with `error`.
    private func abandon(_ group: [WriteJob], _ error: SQLiteError) {
        try? writer.executeScript("ROLLBACK")
        for job in group { job.finish(.database(error.failure)) }
    }

    /// Transactions committed by the writer and the write calls they carried: their ratio is the group size.
    var groupCommitCounts: (transactions: Int, writes: Int) {
        queueCondition.lock()
        defer { queueCondition.unlock() }
        return (transactions, writesCommitted)
    }
}

/// One queued write and the caller waiting for it.
private final class WriteJob: @unchecked Sendable {
    // @unchecked Sendable: `state`/`error` are guarded by `condition`; `body` is immutable.
    enum Turn {
        case committed
        case lead
    }

    let body: (SQLiteConnection) throws -> Void
    private let condition = NSCondition()
    private var state: Turn?
    private var error: StoreError?

    init(body: @escaping (SQLiteConnection) throws -> Void) { self.body = body }

    /// Called by the leader once the group's transaction committed (or failed).
    func finish(_ error: StoreError?) {
        condition.lock()
        self.error = error
        state = .committed
        condition.signal()
        condition.unlock()
    }

    /// Called by the previous leader: this caller now runs the next group.
    func promoteToLeader() {
        condition.lock()
        state = .lead
        condition.signal()
        condition.unlock()
    }

    func waitForCommitOrLeadership() -> Turn {
        condition.lock()
        defer { condition.unlock() }
        while state == nil { condition.wait() }
        return state!
    }

    func throwIfFailed() throws {
        condition.lock()
        let error = self.error
        condition.unlock()
        if let error { throw error }
    }
}

/// Carries a closure's result from the writer thread back to the caller. Written before `WriteJob.finish`
/// and read after `waitForCommit`, so the job's lock orders the accesses.
private final class ResultBox<T>: @unchecked Sendable {
    // @unchecked Sendable: written by the leader before `WriteJob.finish`, read by the caller after it; the
    // WriteJob condition orders the two.
    var value: T?
}
