/// An error reported by libpq or the PostgreSQL server: SQLSTATE, primary message and the SQL text.
/// Bound parameters and DETAIL (which can echo row values) are deliberately not kept (STYLE.md pattern 11).
struct PostgresError: Error, CustomStringConvertible {
    /// SQLSTATE, or "connection" when the connection itself failed.
    let sqlState: String
    let message: String
    let sql: String?

    var description: String { failure.description }

    var failure: DatabaseFailure {
        DatabaseFailure(backend: "postgresql", code: sqlState, message: message, sql: sql)
    }

    /// 40001 serialization_failure and 40P01 deadlock_detected: the transaction may simply be retried
    /// (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
    var isRetryableTransactionFailure: Bool { sqlState == "40001" || sqlState == "40P01" }

    /// Class 08 (connection exception), 57P01..57P03 (admin shutdown, crash shutdown, cannot connect now), or a
    /// libpq-level connection loss.
    var isConnectionFailure: Bool {
        sqlState == "connection" || sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    var isUniqueViolation: Bool { sqlState == "23505" }
    var isForeignKeyViolation: Bool { sqlState == "23503" }
}
