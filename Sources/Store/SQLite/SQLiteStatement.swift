internal import CSQLite

/// Owns one `sqlite3_stmt*` (finalized in deinit). Used only by the connection that prepared it.
final class SQLiteStatement {
    private let handle: OpaquePointer
    let sql: String

    init(handle: OpaquePointer, sql: String) {
        self.handle = handle
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// Binds `values` to ?1…?n, steps to completion and returns the rows. The statement is reset afterwards so
    /// the cache can reuse it (https://sqlite.org/c3ref/reset.html).
    func run(_ values: [SQLValue], connection: OpaquePointer) throws(SQLiteError) -> [Row] {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        for (offset, value) in values.enumerated() { try bind(value, at: Int32(offset + 1), connection: connection) }
        var rows: [Row] = []
        let columnCount = sqlite3_column_count(handle)
        while true {
            let rc = sqlite3_step(handle)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw error(connection) }
            var values: [SQLValue] = []
            values.reserveCapacity(Int(columnCount))
            for column in 0..<columnCount {
                switch sqlite3_column_type(handle, column) {
                case SQLITE_INTEGER: values.append(.integer(sqlite3_column_int64(handle, column)))
                case SQLITE_FLOAT: values.append(.real(sqlite3_column_double(handle, column)))
                case SQLITE_NULL: values.append(.null)
                case SQLITE_BLOB:
                    // sqlite3_column_bytes after sqlite3_column_blob, as https://sqlite.org/c3ref/column_blob.html asks.
                    let start = sqlite3_column_blob(handle, column)
                    let count = Int(sqlite3_column_bytes(handle, column))
                    if let start, count > 0 {
                        values.append(.blob(Array(UnsafeRawBufferPointer(start: start, count: count))))
                    } else {
                        values.append(.blob([]))
                    }
                default:
                    if let text = sqlite3_column_text(handle, column) {
                        values.append(.text(String(cString: text)))
                    } else {
                        values.append(.null)
                    }
                }
            }
            rows.append(Row(values: values))
        }
        return rows
    }

    /// Binds the rows' values in order to ?1…?n of a multi-row insert and steps it once; it returns no rows.
    func execute(rows: ArraySlice<[SQLValue]>, connection: OpaquePointer) throws(SQLiteError) {
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        var index: Int32 = 0
        for row in rows {
            for value in row {
                index += 1
                try bind(value, at: index, connection: connection)
            }
        }
        guard sqlite3_step(handle) == SQLITE_DONE else { throw error(connection) }
    }

    private func bind(_ value: SQLValue, at index: Int32, connection: OpaquePointer) throws(SQLiteError) {
        let rc: Int32
        switch value {
        case .null: rc = sqlite3_bind_null(handle, index)
        case .integer(let v): rc = sqlite3_bind_int64(handle, index, v)
        case .real(let v): rc = sqlite3_bind_double(handle, index, v)
        // With its byte length, not -1: SQLite would stop at an embedded NUL and store a shorter value.
        case .text(let s): rc = sqlite3_bind_text(handle, index, s, Int32(s.utf8.count), mixbit_sqlite_transient())
        case .blob(let bytes):
            rc = bytes.withUnsafeBytes { raw in
                // A zero-length blob still needs a non-null pointer, or SQLite stores NULL.
                sqlite3_bind_blob(handle, index, raw.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(raw.count), mixbit_sqlite_transient())
            }
        }
        guard rc == SQLITE_OK else { throw error(connection) }
    }

    private func error(_ connection: OpaquePointer) -> SQLiteError {
        SQLiteError(
            extendedCode: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)),
            sql: sql)
    }
}

@available(*, unavailable) extension SQLiteStatement: Sendable {}
