import Foundation

/// The Store: MLflow's tracking data, the model registry, logged models and the job queue over one `SQLDatabase`,
/// which is SQLite (group commit, WAL) or PostgreSQL (connection pool). The repositories are written once against
/// dialect-neutral SQL; only the filter compiler and a few statements differ per dialect.
public final class SQLStore: Sendable {
    let database: any SQLDatabase
    let options: StoreOptions

    var dialect: SQLDialect { database.dialect }

    init(database: any SQLDatabase, options: StoreOptions) {
        self.database = database
        self.options = options
    }

    /// SQLite only: transactions the group-commit writer committed and the write calls they carried (their ratio
    /// is the average group size). Nil on PostgreSQL, where every write is its own transaction.
    public var groupCommitCounts: (transactions: Int, writes: Int)? {
        (database as? SQLiteDatabase)?.groupCommitCounts
    }

    /// Stops the writer thread and closes connections. Calls after `close()` fail with `.invalidState`.
    public func close() { database.close() }

    // MARK: - Helpers shared by the repositories

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T {
        do { return try database.read(body) } catch { throw StoreError.wrap(error) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLSession) throws -> T) throws -> T {
        do { return try database.write(body) } catch { throw StoreError.wrap(error) }
    }

    /// A time-ordered (version 7) UUID as 32 lowercase hex digits, the shape of MLflow's `uuid.uuid4().hex` run IDs.
    /// Written out directly: `UUID().uuidString` plus Foundation's `replacingOccurrences` was ~5 % of a create run's
    /// CPU.
    static func newRunID() -> String {
        var generator = SystemRandomNumberGenerator()
        // RFC 9562 §5.7 (UUIDv7): the Unix time in milliseconds in the first 48 bits, version 0b0111, 12 random
        // bits; variant 0b10 and 62 random bits. Time-ordered IDs put a new run's rows at the right edge of every
        // index keyed by run ID (runs, tags, params, their key indexes), so a group commit of creates dirties a
        // few shared pages instead of one random page per index and run.
        let milliseconds = UInt64(max(0, WallClock.nowMilliseconds())) & 0xFFFF_FFFF_FFFF
        let high = milliseconds << 16 | 0x7000 | (generator.next() as UInt64) & 0x0FFF
        let low = (generator.next() as UInt64) & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        let digits: StaticString = "0123456789abcdef"
        return String(unsafeUninitializedCapacity: 32) { buffer in
            for (half, word) in [high, low].enumerated() {
                for i in 0..<16 {
                    buffer[half * 16 + i] = digits.utf8Start[Int((word >> UInt64(60 - 4 * i)) & 0xF)]
                }
            }
            return 32
        }
    }

    /// Splits `values` into chunks, keeping IN lists and multi-row inserts under SQLite's bind limit.
    static func chunks<T>(_ values: [T], of size: Int) -> [ArraySlice<T>] {
        stride(from: 0, to: values.count, by: size).map { values[$0..<min($0 + size, values.count)] }
    }
}

/// How `SQLStore.open` treats the database it opens.
public struct StoreOptions: Sendable {
    /// Apply pending migrations at open (`mixbit serve`); when false, refuse to open a database that is not
    /// exactly at this binary's schema (`--no-migrate`).
    public var applyMigrations = true
    /// SQLite `synchronous=FULL` (survives power loss) instead of `NORMAL` (survives a process crash; in WAL mode
    /// a power cut may lose the last transactions but never corrupts the database — https://sqlite.org/wal.html).
    public var sqliteSynchronousFull = false
    /// Read-only SQLite connections beside the single writer.
    public var sqliteReaderCount = 4
    /// PostgreSQL connections in the pool.
    public var postgresMaxConnections = 16
    /// Where experiment artifact locations point by default: `<root>/<experiment_id>`.
    public var defaultArtifactRoot = "mlflow-artifacts:"

    public init() {}
}

extension SQLStore {
    /// Opens the database `location` names, migrating it (or checking it) per `options`.
    ///
    /// - Throws: `StoreError.migration` when the database was migrated by a newer mixbit, when an applied
    ///   migration changed, or when `applyMigrations` is false and migrations are pending;
    ///   `StoreError.database` when the database cannot be opened.
    public static func open(_ location: StoreLocation, options: StoreOptions = StoreOptions()) throws -> SQLStore {
        switch location {
        case .sqlite(let path):
            var configuration = SQLiteDatabase.Configuration()
            configuration.connection.synchronousFull = options.sqliteSynchronousFull
            configuration.readerCount = options.sqliteReaderCount
            // Migrate on the writer before readers see the schema; read-only readers are opened lazily by SQLite
            // and see the committed schema.
            let database = try SQLiteDatabase(path: path, configuration: configuration)
            do {
                try database.withWriterBeforeStart { writer in
                    let migrator = Migrator(dialect: .sqlite)
                    if options.applyMigrations {
                        try migrator.migrate(writer)
                    } else {
                        try migrator.requireUpToDate(writer)
                    }
                }
            } catch {
                throw StoreError.wrap(error)
            }
            database.start()
            return SQLStore(database: database, options: options)
        case .postgres(let uri):
            var configuration = PostgresDatabase.Configuration()
            configuration.maxConnections = options.postgresMaxConnections
            let database = try PostgresDatabase(uri: uri, configuration: configuration)
            try database.withConnection { connection in
                let migrator = Migrator(dialect: .postgres)
                if options.applyMigrations {
                    try migrator.migrate(connection)
                } else {
                    try migrator.requireUpToDate(connection)
                }
            }
            return SQLStore(database: database, options: options)
        }
    }

    /// Applies pending migrations and returns the versions applied (`mixbit db upgrade`).
    public static func upgrade(_ location: StoreLocation) throws -> [Int] {
        switch location {
        case .sqlite(let path):
            let database = try SQLiteDatabase(path: path, configuration: .init())
            return try database.withWriterBeforeStart { try Migrator(dialect: .sqlite).migrate($0) }
        case .postgres(let uri):
            let database = try PostgresDatabase(uri: uri)
            defer { database.close() }
            return try database.withConnection { try Migrator(dialect: .postgres).migrate($0) }
        }
    }

    /// The newest migration this binary carries for the location's dialect.
    public static func latestSchemaVersion(for location: StoreLocation) -> Int {
        switch location {
        case .sqlite: return Migrator(dialect: .sqlite).latestVersion
        case .postgres: return Migrator(dialect: .postgres).latestVersion
        }
    }
}
