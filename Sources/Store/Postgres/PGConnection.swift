internal import CLibPQ

/// Owns one `PGconn*` (PQfinish in deinit) and the names of the statements prepared on it.
///
/// Used by one thread at a time: `PostgresDatabase`'s pool hands a connection to exactly one caller.
final class PGConnection: SQLSession {
    private let handle: OpaquePointer
    private let pq: LibPQ
    private var prepared: [String: String] = [:]
    private var preparedCounter = 0
    let dialect = SQLDialect.postgres

    /// Connects with a libpq connection URI (https://www.postgresql.org/docs/current/libpq-connect.html).
    init(uri: String) throws(PostgresError) {
        pq = try LibPQ.loaded.get()
        guard let conn = pq.connectdb(uri) else {
            throw PostgresError(sqlState: "connection", message: "out of memory", sql: nil)
        }
        guard pq.status(conn) == CONNECTION_OK else {
            let message = String(cString: pq.errorMessage(conn)).trimmingWhitespace()
            pq.finish(conn)  // a CONNECTION_BAD handle must still be freed (STYLE.md pattern 6)
            throw PostgresError(sqlState: "connection", message: message, sql: nil)
        }
        handle = conn
        // Quiet NOTICEs (e.g. "relation already exists, skipping") and use the shortest exact float text.
        try executeScript("SET client_min_messages = warning; SET extra_float_digits = 1")
    }

    deinit { pq.finish(handle) }

    /// False once the server went away; the pool then drops this connection.
    var isHealthy: Bool { pq.status(handle) == CONNECTION_OK }

    /// Runs a script of one or more statements without parameters (migrations, transaction control).
    func executeScript(_ sql: String) throws(PostgresError) {
        guard let raw = pq.exec(handle, sql) else { throw connectionError(sql: sql) }
        let result = PGResult(raw)
        guard result.isSuccess else { throw result.error(sql: sql) }
    }

    func query(_ sql: SQL) throws -> [Row] {
        do {
            let result = try run(sql)
            return result.rows()
        } catch {
            throw StoreError.fromPostgres(error)
        }
    }

    @discardableResult
    func execute(_ sql: SQL) throws -> Int {
        do {
            let result = try run(sql)
            return result.affectedRows
        } catch {
            throw StoreError.fromPostgres(error)
        }
    }

    /// Rows per multi-row INSERT: full chunks share one prepared statement; binds stay far below libpq's 65535.
    static let rowsPerInsert = 100

    func executeMany(_ insert: RowInsert, rows: [[SQLValue]]) throws {
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + Self.rowsPerInsert, rows.count)]
            start += chunk.count
            do {
                _ = try run(text: insert.text(rowCount: chunk.count, dialect: .postgres), binds: chunk.flatMap { $0 })
            } catch {
                throw StoreError.fromPostgres(error)
            }
        }
    }

    /// Prepares the statement once per connection (named after its position in the cache), then executes it with
    /// text-format parameters whose types the server infers from context.
    func run(_ sql: SQL) throws(PostgresError) -> PGResult {
        let (text, binds) = sql.render(.postgres)
        return try run(text: text, binds: binds)
    }

    func run(text: String, binds: [SQLValue]) throws(PostgresError) -> PGResult {
        let name = try preparedName(for: text)
        let parameters: [String?] = binds.map { value in
            switch value {
            case .null: return nil
            case .integer(let v): return String(v)
            case .real(let v): return v.isNaN ? "NaN" : String(v)
            case .text(let s): return s
            case .blob(let bytes): return PGByteaText.encode(bytes)
            }
        }
        let raw = withCStringArray(parameters) { pointers in
            pq.execPrepared(handle, name, Int32(pointers.count), pointers.baseAddress, nil, nil, 0)
        }
        guard let raw else { throw connectionError(sql: text) }
        let result = PGResult(raw)
        guard result.isSuccess else {
            let error = result.error(sql: text)
            // A statement that failed while preparing leaves no entry; a dropped connection needs no cleanup.
            throw isHealthy ? error : PostgresError(sqlState: "connection", message: error.message, sql: text)
        }
        return result
    }

    /// Server-side prepared statements kept per connection; past this many (filters and IN lists of many shapes),
    /// all are deallocated and preparation starts over, so a long-lived connection does not grow without bound.
    static let maxPreparedStatements = 512

    private func preparedName(for text: String) throws(PostgresError) -> String {
        if let name = prepared[text] { return name }
        if prepared.count >= Self.maxPreparedStatements {
            try executeScript("DEALLOCATE ALL")
            prepared.removeAll()
        }
        preparedCounter += 1
        let name = "mixbit_\(preparedCounter)"
        guard let raw = pq.prepare(handle, name, text, 0, nil) else { throw connectionError(sql: text) }
        let result = PGResult(raw)
        guard result.isSuccess else { throw result.error(sql: text) }
        prepared[text] = name
        return name
    }

    private func connectionError(sql: String?) -> PostgresError {
        PostgresError(
            sqlState: "connection", message: String(cString: pq.errorMessage(handle)).trimmingWhitespace(), sql: sql)
    }
}

@available(*, unavailable) extension PGConnection: Sendable {}

/// Calls `body` with a C array of C strings (NULL for nil) that stays valid for the whole call
/// (STYLE.md pattern 7: no pointer outlives its scope). All strings share one NUL-separated buffer.
private func withCStringArray<R>(
    _ strings: [String?], _ body: (UnsafeBufferPointer<UnsafePointer<CChar>?>) -> R
) -> R {
    var buffer: [CChar] = []
    var offsets: [Int?] = []
    offsets.reserveCapacity(strings.count)
    for string in strings {
        guard let string else {
            offsets.append(nil)
            continue
        }
        offsets.append(buffer.count)
        buffer.append(contentsOf: string.utf8.map { CChar(bitPattern: $0) })
        buffer.append(0)
    }
    return buffer.withUnsafeBufferPointer { bytes in
        let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in offset.map { bytes.baseAddress! + $0 } }
        return pointers.withUnsafeBufferPointer(body)
    }
}
