/// One connection's view of the database, handed to repository code inside a read or a write.
///
/// A session is confined to the thread that runs the closure it was passed to; it is never stored.
protocol SQLSession: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns every row.
    func query(_ sql: SQL) throws -> [Row]
    /// Runs a statement and returns the number of rows it changed.
    @discardableResult func execute(_ sql: SQL) throws -> Int
}

extension SQLSession {
    func queryOne(_ sql: SQL) throws -> Row? { try query(sql).first }
}

/// A database the Store can read from and write to; SQLite and PostgreSQL each implement it.
protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` on a connection that sees committed data.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T
    /// Runs `body` in a transaction; returns only after that transaction committed.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T
    /// Stops background threads and closes connections.
    func close()
}
