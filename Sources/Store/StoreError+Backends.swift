/// How backend errors become `StoreError`s: constraint violations are the caller's (already exists, not found);
/// everything else is a database failure.
extension StoreError {
    /// Maps constraint violations to caller-facing kinds; everything else is a database failure.
    static func fromSQLite(_ error: SQLiteError) -> StoreError {
        if error.isUniqueViolation { return .alreadyExists("the resource already exists") }
        if error.isForeignKeyViolation { return .notFound("a referenced resource does not exist") }
        return .database(error.failure)
    }

    static func fromPostgres(_ error: PostgresError) -> StoreError {
        if error.isUniqueViolation { return .alreadyExists("the resource already exists") }
        if error.isForeignKeyViolation { return .notFound("a referenced resource does not exist") }
        return .database(error.failure)
    }

    /// Any error from repository code, as a StoreError.
    static func wrap(_ error: any Error) -> StoreError {
        if let storeError = error as? StoreError { return storeError }
        if let sqliteError = error as? SQLiteError { return .fromSQLite(sqliteError) }
        return .database(DatabaseFailure(backend: "store", code: "internal", message: "\(error)", sql: nil))
    }
}
