import Foundation

/// SQLite behind the `SQLDatabase` interface: one writer connection on its own thread doing group commit, plus a
/// pool of reader connections (WAL lets readers run while the writer writes).
///
/// Group commit: concurrent `write` calls enqueue closures; the writer thread takes everything queued, runs it in
/// one transaction with each closure inside its own SAVEPOINT (so one failing caller is rolled back alone), commits
/// once, and only then wakes every caller with its own result. Throughput is therefore not bounded by one fsync
/// per request, and no caller is answered before its data is durable to the configured `synchronous` level.
final class SQLiteDatabase: SQLDatabase, @unchecked Sendable {
    // @unchecked Sendable: `queue`/`closed` are guarded by `queueCondition`; `readers` by `readerCondition`;
    // `writer` is touched only by the writer thread after init (and by init/migrations before it starts).

    struct Configuration: Sendable {
        var connection = SQLiteConnection.Configuration()
        var readerCount = 4
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
    private let writerDone = DispatchSemaphore(value: 0)
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
                for _ in 0..<max(1, configuration.readerCount) {
                    readers.append(try SQLiteConnection(path: path, configuration: readerConfiguration))
                }
            }
        } catch {
            throw StoreError.database(error.failure)
        }
    }

    /// Runs `body` on the writer connection before the writer thread starts (migrations need their own
    /// transaction control).
    func withWriterBeforeStart<T>(_ body: (SQLiteConnection) throws -> T) rethrows -> T { try body(writer) }

    /// Starts the group-commit thread. Called once, after migrations.
    func start() {
        queueCondition.lock()
        started = true
        queueCondition.unlock()
        let thread = Thread { [self] in writerLoop() }
        thread.name = "mixbit-sqlite-writer"
        thread.start()
    }

    func close() {
        queueCondition.lock()
        let mustWait = !closed && started
        closed = true
        queueCondition.broadcast()
        queueCondition.unlock()
        if mustWait { writerDone.wait() }
    }

    // MARK: - Reads

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T {
        // An in-memory database exists only on the writer connection, so reads go through the writer queue.
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
        queueCondition.signal()
        queueCondition.unlock()
        try job.waitForCommit()
        guard let value = box.value else { throw StoreError.invalidState("write produced no result") }
        return value
    }

    private func writerLoop() {
        while true {
            queueCondition.lock()
            while queue.isEmpty && !closed { queueCondition.wait() }
            if queue.isEmpty && closed {
                queueCondition.unlock()
                break
            }
            let take = min(queue.count, configuration.maxGroupSize)
            let group = Array(queue.prefix(take))
            queue.removeFirst(take)
            queueCondition.unlock()
            runGroup(group)
        }
        writerDone.signal()
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
                do {
                    try job.body(writer)
                    _ = try writer.queryRaw("RELEASE group_member")
                    outcomes.append(nil)
                } catch {
                    _ = try writer.queryRaw("ROLLBACK TO group_member")
                    _ = try writer.queryRaw("RELEASE group_member")
                    outcomes.append(StoreError.wrap(error))
                }
            } catch {
                outcomes.append(.database(error.failure))
            }
        }
        do {
            _ = try writer.queryRaw("COMMIT")
        } catch {
            try? writer.executeScript("ROLLBACK")
            for job in group { job.finish(.database(error.failure)) }
            return
        }
        queueCondition.lock()
        transactions += 1
        writesCommitted += group.count
        queueCondition.unlock()
        for (job, outcome) in zip(group, outcomes) { job.finish(outcome) }
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
    // @unchecked Sendable: `done`/`error` are guarded by `condition`; `body` is immutable.
    let body: (SQLiteConnection) throws -> Void
    private let condition = NSCondition()
    private var done = false
    private var error: StoreError?

    init(body: @escaping (SQLiteConnection) throws -> Void) { self.body = body }

    func finish(_ error: StoreError?) {
        condition.lock()
        self.error = error
        done = true
        condition.signal()
        condition.unlock()
    }

    func waitForCommit() throws {
        condition.lock()
        while !done { condition.wait() }
        let error = self.error
        condition.unlock()
        if let error { throw error }
    }
}

/// Carries a closure's result from the writer thread back to the caller. Written before `WriteJob.finish`
/// and read after `waitForCommit`, so the job's lock orders the accesses.
final class ResultBox<T>: @unchecked Sendable {
    // @unchecked Sendable: see the type comment — the WriteJob / pool condition publishes the write.
    var value: T?
}

extension StoreError {
    /// Any error from repository code, as a StoreError.
    static func wrap(_ error: any Error) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let sqliteError = error as? SQLiteError { return .fromSQLite(sqliteError) }
        return .database(DatabaseFailure(backend: "store", code: "internal", message: "\(error)", sql: nil))
    }
}
