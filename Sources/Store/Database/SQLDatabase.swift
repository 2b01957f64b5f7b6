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
