import Foundation

/// PostgreSQL behind the `SQLDatabase` interface: a pool of libpq connections. Each write is one transaction,
/// retried on serialization failure or deadlock; a connection the server dropped is replaced on the next use, so
/// the store recovers by itself after the database restarts.
final class PostgresDatabase: SQLDatabase, @unchecked Sendable {
    // @unchecked Sendable: `idle` and `openCount` are guarded by `condition`; `uri` and `configuration` are
    // immutable. A leased PGConnection is used by one thread only.

    struct Configuration: Sendable {
        var maxConnections = 16
        var maxTransactionAttempts = 8
        /// How long to keep trying to (re)connect before giving up on a request.
        var connectTimeoutSeconds = 10.0
    }

    let dialect = SQLDialect.postgres
    private let uri: String
    private let configuration: Configuration
    private let condition = NSCondition()
    private var idle: [PGConnection] = []
    private var openCount = 0

    init(uri: String, configuration: Configuration = Configuration()) throws {
        self.uri = uri
        self.configuration = configuration
        // Fail fast on a wrong URI or an unreachable server.
        let first = try connect()
        condition.lock()
        idle.append(first)
        openCount = 1
        condition.unlock()
    }

    func close() {
        condition.lock()
        idle.removeAll()
        condition.unlock()
    }

    /// Leases a connection for `body`; the connection goes back to the pool unless it broke.
    func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try lease()
        defer { giveBack(connection) }
        return try body(connection)
    }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try withConnection { connection in
                    try transaction(connection, isolation: "REPEATABLE READ READ ONLY") { try body(connection) }
                }
            } catch let error as TransactionFailure {
                // A read changes nothing, so it is safe to repeat whatever happened to its connection or commit.
                let underlying: PostgresError
                switch error {
                case .retryable(let e), .connectionLostBeforeCommit(let e), .commitOutcomeUnknown(let e): underlying = e
                }
                if attempt < configuration.maxTransactionAttempts { continue }
                throw StoreError.database(underlying.failure)
            }
        }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try withConnection { connection in
                    try transaction(connection, isolation: "READ COMMITTED") { try body(connection) }
                }
            } catch let error as TransactionFailure {
                switch error {
                case .retryable(let underlying) where attempt < configuration.maxTransactionAttempts,
                    .connectionLostBeforeCommit(let underlying) where attempt < configuration.maxTransactionAttempts:
                    _ = underlying
                    // Back off a little so the transactions that collided do not collide again at once.
                    usleep(UInt32.random(in: 1_000...(5_000 * UInt32(attempt))))
                    continue
                case .retryable(let underlying), .connectionLostBeforeCommit(let underlying):
                    throw StoreError.database(underlying.failure)
                case .commitOutcomeUnknown(let underlying):
                    throw StoreError.database(underlying.failure)
                }
            }
        }
    }

    // MARK: - Transactions

    private enum TransactionFailure: Error {
        case retryable(PostgresError)
        case connectionLostBeforeCommit(PostgresError)
        case commitOutcomeUnknown(PostgresError)
    }

    private func transaction<T>(_ connection: PGConnection, isolation: String, _ body: () throws -> T) throws -> T {
        do {
            try connection.executeScript("BEGIN ISOLATION LEVEL \(isolation)")
        } catch {
            throw error.isConnectionFailure || !connection.isHealthy
                ? TransactionFailure.connectionLostBeforeCommit(error) : StoreError.database(error.failure)
        }
        let value: T
        do {
            value = try body()
        } catch {
            try? connection.executeScript("ROLLBACK")
            if case .database(let failure) = error as? StoreError {
                if failure.code == "40001" || failure.code == "40P01" {
                    throw TransactionFailure.retryable(PostgresError(sqlState: failure.code, message: failure.message, sql: failure.sql))
                }
                if !connection.isHealthy || failure.code == "connection" || failure.code.hasPrefix("08") {
                    throw TransactionFailure.connectionLostBeforeCommit(
                        PostgresError(sqlState: "connection", message: failure.message, sql: failure.sql))
                }
            }
            throw error
        }
        do {
            try connection.executeScript("COMMIT")
        } catch {
            if error.isRetryableTransactionFailure { throw TransactionFailure.retryable(error) }
            // If the connection died during COMMIT we cannot know whether it committed; do not retry blindly.
            throw TransactionFailure.commitOutcomeUnknown(error)
        }
        return value
    }

    // MARK: - Pool

    private func lease() throws -> PGConnection {
        condition.lock()
        while true {
            if let connection = idle.popLast() {
                condition.unlock()
                if connection.isHealthy { return connection }
                // The server dropped it (restart, idle timeout): replace it.
                do {
                    return try connect()
                } catch {
                    condition.lock()
                    openCount -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            if openCount < configuration.maxConnections {
                openCount += 1
                condition.unlock()
                do {
                    return try connect()
                } catch {
                    condition.lock()
                    openCount -= 1
                    condition.signal()
                    condition.unlock()
                    throw error
                }
            }
            condition.wait()
        }
    }

    private func giveBack(_ connection: PGConnection) {
        condition.lock()
        if connection.isHealthy {
            idle.append(connection)
        } else {
            openCount -= 1
        }
        condition.signal()
        condition.unlock()
    }

    /// Connects, retrying for a while: right after a server restart connections are refused for a moment.
    private func connect() throws -> PGConnection {
        let deadline = Date().addingTimeInterval(configuration.connectTimeoutSeconds)
        while true {
            do {
                return try PGConnection(uri: uri)
            } catch {
                if Date() >= deadline { throw StoreError.database(error.failure) }
                usleep(200_000)
            }
        }
    }
}
