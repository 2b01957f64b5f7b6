/// Dialect-specific spellings of string comparisons, shared by the filter compilers.
enum SQLPredicates {
    /// `column <op> ?` for a string comparison. LIKE is case-sensitive on both backends (SQLite connections run
    /// `PRAGMA case_sensitive_like = ON`); ILIKE is PostgreSQL's ILIKE or `lower() LIKE lower()` on SQLite.
    static func string(
        _ column: String, _ op: FilterExpression.Operator, _ value: String, dialect: SQLDialect
    ) -> SQL {
        switch op {
        case .ilike:
            return dialect == .postgres
                ? "\(unsafeSQL: column) ILIKE \(value)" : "lower(\(unsafeSQL: column)) LIKE lower(\(value))"
        case .like: return "\(unsafeSQL: column) LIKE \(value)"
        case .notEqual: return "\(unsafeSQL: column) <> \(value)"
        default: return "\(unsafeSQL: column) \(unsafeSQL: op.rawValue) \(value)"
        }
    }

    /// `column IN (?, ?)` or `column NOT IN (...)`.
    static func list(_ column: String, _ op: FilterExpression.Operator, _ values: [some SQLBindable]) -> SQL {
        "\(unsafeSQL: column) \(unsafeSQL: op == .notIn ? "NOT IN" : "IN") \(SQL.list(values))"
    }

    static func invalid(_ comparison: FilterExpression.Comparison, _ why: String) -> StoreError {
        .invalidParameter("Invalid filter comparison on '\(comparison.source)' (\(comparison.op.rawValue)): \(why)")
    }
}
