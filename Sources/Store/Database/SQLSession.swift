/// One connection's view of the database, handed to repository code inside a read or a write.
///
/// A session is confined to the thread that runs the closure it was passed to; it is never stored.
protocol SQLSession: AnyObject {
    var dialect: SQLDialect { get }
    /// Runs a statement and returns every row.
    func query(_ sql: SQL) throws -> [Row]
    /// Runs a statement and returns the number of rows it changed.
    @discardableResult func execute(_ sql: SQL) throws -> Int
    /// Inserts many rows with one statement shape: SQLite re-executes one prepared single-row statement per row
    /// (no SQL text is built per batch); PostgreSQL sends multi-row VALUES lists, so a batch costs few round trips.
    func executeMany(_ insert: RowInsert, rows: [[SQLValue]]) throws
}

extension SQLSession {
    func queryOne(_ sql: SQL) throws -> Row? { try query(sql).first }
}
