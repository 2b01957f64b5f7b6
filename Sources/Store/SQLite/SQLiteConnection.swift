internal import CSQLite

/// Owns one `sqlite3*` handle (closed in deinit) and its prepared-statement cache.
///
/// Not thread-safe by design: it is opened with `SQLITE_OPEN_NOMUTEX` and confined to one thread at a time by
/// its owner (`SQLiteDatabase`'s writer thread or reader pool), as STYLE.md pattern 16 prescribes.
final class SQLiteConnection: SQLSession {
    /// Tuning applied when a connection opens.
    struct Configuration: Sendable {
        /// `synchronous=NORMAL` in WAL mode survives a process crash; `FULL` also survives power loss
        /// (https://sqlite.org/pragma.html#pragma_synchronous).
        var synchronousFull = false
        /// Milliseconds a connection waits on a lock held by another process before SQLITE_BUSY.
        var busyTimeoutMilliseconds: Int32 = 5_000
        var readOnly = false
        /// Page cache per connection, in KiB. Modest on purpose: the server keeps one writer and several readers,
        /// each with its own cache, and the OS page cache already holds the file. 2 MiB holds the writer's hot
        /// b-tree pages (new rows append: run IDs are time-ordered). 8 MiB here and 2 MiB per reader left the server
        /// 9 MiB larger after the tracking benchmark and ingested no faster (bench/README.md, tracking and store).
        var cacheKibibytes = 2_048
        /// Bytes of the database file read through mmap instead of read(2). Off: mapped pages are counted once per
        /// connection in the server's resident memory, and read(2) from the OS page cache is cheap.
        var mmapBytes = 0
        /// WAL pages after which a commit checkpoints (https://sqlite.org/pragma.html#pragma_wal_autocheckpoint).
        /// SQLite's default, 1 000, makes a busy writer checkpoint (and fsync) every few group commits, copying
        /// the same hot b-tree pages again each time; at 10 000 (~40 MiB of WAL with 4 KiB pages) a page that
        /// many commits rewrote is copied back once. Measured on the 8 × 100-point ingestion benchmark: see
        /// bench/README.md, section store.
        var walAutocheckpointPages = 10_000
    }

    private let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]
    /// The SQL text of each multi-row insert shape already built, so a batch does not re-render it.
    private var insertTexts: [InsertKey: String] = [:]
    let dialect = SQLDialect.sqlite

    init(path: String, configuration: Configuration) throws(SQLiteError) {
        var db: OpaquePointer?
        var flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI
        flags |= configuration.readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            // A failed open may still allocate a handle, which must be closed (STYLE.md pattern 6).
            if let db { sqlite3_close_v2(db) }
            throw SQLiteError(extendedCode: rc, message: message, sql: nil)
        }
        handle = db
        sqlite3_extended_result_codes(db, 1)
        sqlite3_busy_timeout(db, configuration.busyTimeoutMilliseconds)
        try executeScript("PRAGMA foreign_keys = ON")
        // MLflow runs SQLite sessions with case-sensitive LIKE (MLFLOW_API.md §4.1).
        try executeScript("PRAGMA case_sensitive_like = ON")
        if !configuration.readOnly, path != ":memory:" {
            // The pragma answers the journal mode actually in effect; anything but "wal" is a failure
            // (https://sqlite.org/pragma.html#pragma_journal_mode).
            let mode = try queryRaw("PRAGMA journal_mode = WAL").first?.string(0).lowercased()
            guard mode == "wal" else {
                throw SQLiteError(
                    extendedCode: SQLITE_ERROR, message: "journal_mode=WAL was refused (got \(mode ?? "nothing"))",
                    sql: "PRAGMA journal_mode = WAL")
            }
        }
        try executeScript("PRAGMA synchronous = \(configuration.synchronousFull ? "FULL" : "NORMAL")")
        if !configuration.readOnly {
            try executeScript("PRAGMA wal_autocheckpoint = \(configuration.walAutocheckpointPages)")
        }
        // A larger page cache and memory-mapped reads keep hot b-tree pages out of read(2) calls
        // (https://sqlite.org/pragma.html#pragma_cache_size, https://sqlite.org/mmap.html).
        try executeScript("PRAGMA cache_size = -\(configuration.cacheKibibytes)")
        try executeScript("PRAGMA mmap_size = \(configuration.mmapBytes)")
        // Statement journals for SAVEPOINTs (one per group-commit member) stay in memory instead of temp files.
        try executeScript("PRAGMA temp_store = MEMORY")
    }

    deinit {
        cache.removeAll()  // finalize statements before the connection closes
        sqlite3_close_v2(handle)
    }

    /// Runs one or more statements without binds (migrations, pragmas, transaction control).
    func executeScript(_ sql: String) throws(SQLiteError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        guard rc == SQLITE_OK else {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw SQLiteError(extendedCode: sqlite3_extended_errcode(handle), message: message, sql: sql)
        }
    }

    func query(_ sql: SQL) throws -> [Row] {
        let (text, binds) = sql.render(.sqlite)
        do {
            return try statement(for: text).run(binds, connection: handle)
        } catch {
            throw StoreError.fromSQLite(error)
        }
    }

    @discardableResult
    func execute(_ sql: SQL) throws -> Int {
        _ = try query(sql)
        return Int(sqlite3_changes(handle))
    }

    /// Inserts `rows` with multi-row statements: one `sqlite3_step` per statement instead of per row cuts the
    /// per-statement work (reset, statement journal, VDBE start-up) that dominates small rows.
    func executeMany(_ insert: RowInsert, rows: [[SQLValue]]) throws {
        var start = 0
        do {
            while start < rows.count {
                // Power-of-two chunk sizes: each insert shape needs at most log2(maxRowsPerInsert) + 1 cached
                // statements, whatever the batch sizes.
                let remaining = rows.count - start
                let size = min(Self.maxRowsPerInsert, 1 << (Int.bitWidth - 1 - remaining.leadingZeroBitCount))
                let statement = try insertStatement(insert, rowCount: size)
                try statement.execute(rows: rows[start..<(start + size)], connection: handle)
                start += size
            }
        } catch {
            throw StoreError.fromSQLite(error)
        }
    }

    /// Rows per multi-row insert: 64 rows of the widest insert (13 values per row) bind 832 values, under the 999 that
    /// SQLite builds before 3.32 allow (https://sqlite.org/limits.html#max_variable_number).
    static let maxRowsPerInsert = 64

    private func insertStatement(_ insert: RowInsert, rowCount: Int) throws(SQLiteError) -> SQLiteStatement {
        let key = InsertKey(head: insert.head, row: insert.row, tail: insert.tail, rowCount: rowCount)
        if let text = insertTexts[key] { return try statement(for: text) }
        let text = insert.text(rowCount: rowCount, dialect: .sqlite)
        insertTexts[key] = text
        return try statement(for: text)
    }

    /// Raw query used by code that needs the SQLite error itself (migrations, transaction control).
    func queryRaw(_ text: String) throws(SQLiteError) -> [Row] {
        try statement(for: text).run([], connection: handle)
    }

    private func statement(for text: String) throws(SQLiteError) -> SQLiteStatement {
        if let cached = cache[text] { return cached }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, text, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &stmt, nil)
        guard rc == SQLITE_OK, let stmt else {
            throw SQLiteError(
                extendedCode: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)),
                sql: text)
        }
        let statement = SQLiteStatement(handle: stmt, sql: text)
        // Bound the cache: multi-row inserts of varying sizes would otherwise grow it without limit.
        if cache.count >= 256 { cache.removeAll() }
        cache[text] = statement
        return statement
    }
}

/// Identifies one rendered multi-row insert: its fixed SQL and its number of rows.
private struct InsertKey: Hashable {
    let head: String
    let row: String
    let tail: String
    let rowCount: Int
}

@available(*, unavailable) extension SQLiteConnection: Sendable {}
