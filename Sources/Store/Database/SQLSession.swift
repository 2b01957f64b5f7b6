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

/// The shape of a row insert: `head` + `(v1, …, vN)` per row + `tail`, e.g.
/// `INSERT INTO t (a, b) VALUES ` … ` ON CONFLICT DO NOTHING`. Head and tail are fixed SQL, never user data.
struct RowInsert: Sendable {
    let head: String
    let columns: Int
    let tail: String

    /// The statement for `rowCount` rows in `dialect`.
    func text(rowCount: Int, dialect: SQLDialect) -> String {
        var text = head
        var n = 0
        for row in 0..<rowCount {
            text += row == 0 ? "(" : ", ("
            for column in 0..<columns {
                n += 1
                if column > 0 { text += ", " }
                text += dialect == .sqlite ? "?" : "$\(n)"
            }
            text += ")"
        }
        return text + tail
    }
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
