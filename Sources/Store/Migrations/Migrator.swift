import Foundation

/// Applies the embedded migrations in order, each in its own transaction together with its `schema_migrations`
/// row, and refuses databases this binary does not understand (STYLE.md pattern 15).
struct Migrator: Sendable {
    let migrations: [Migration]

    init(dialect: SQLDialect) {
        migrations = dialect == .sqlite ? EmbeddedMigrations.sqlite : EmbeddedMigrations.postgres
    }

    init(migrations: [Migration]) { self.migrations = migrations }

    var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Creates the bookkeeping table when missing and returns what has been applied.
    func applied(on connection: some MigrationConnection) throws -> [AppliedMigration] {
        try connection.runScript(
            """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    BIGINT PRIMARY KEY,
                name       TEXT   NOT NULL,
                checksum   TEXT   NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """)
        return try connection.query("SELECT version, name, checksum FROM schema_migrations ORDER BY version").map {
            AppliedMigration(version: Int($0.int64(0)), name: $0.string(1), checksum: $0.string(2))
        }
    }

    /// Throws `StoreError.migration` when the database was migrated by a newer binary (a version this binary does
    /// not know) or when an applied migration's checksum differs from the embedded file.
    func verify(_ applied: [AppliedMigration]) throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.version, $0) })
        for row in applied {
            guard let migration = known[row.version] else {
                throw StoreError.migration(
                    "the database has migration \(row.version) (\(row.name)) which this mixbit does not know: "
                        + "it was migrated by a newer version; refusing to start")
            }
            guard migration.checksum == row.checksum else {
                throw StoreError.migration(
                    "migration \(row.version) (\(row.name)) was changed after it was applied "
                        + "(checksum \(row.checksum) in the database, \(migration.checksum) in this binary); refusing to start")
            }
        }
    }

    /// Versions not yet applied (after `verify` succeeded).
    func pending(_ applied: [AppliedMigration], upTo target: Int? = nil) -> [Migration] {
        let done = Set(applied.map(\.version))
        return migrations.filter { !done.contains($0.version) && $0.version <= (target ?? Int.max) }
    }

    /// Applies every pending migration up to `target` (all when nil) and returns the versions applied.
    @discardableResult
    func migrate(_ connection: some MigrationConnection, upTo target: Int? = nil) throws -> [Int] {
        let isPostgres = connection.dialect == .postgres
        // Several server replicas may start together on one PostgreSQL: serialise their migrations.
        if isPostgres { try connection.runScript("SELECT pg_advisory_lock(4242001)") }
        defer { if isPostgres { try? connection.runScript("SELECT pg_advisory_unlock(4242001)") } }
        let applied = try applied(on: connection)
        try verify(applied)
        var done: [Int] = []
        for migration in pending(applied, upTo: target) {
            try connection.runScript(isPostgres ? "BEGIN" : "BEGIN IMMEDIATE")
            do {
                try connection.runScript(migration.sql)
                try connection.execute(
                    """
                    INSERT INTO schema_migrations (version, name, checksum, applied_at)
                    VALUES (\(migration.version), \(migration.name), \(migration.checksum), \(WallClock.nowMilliseconds()))
                    """)
                try connection.runScript("COMMIT")
            } catch {
                try? connection.runScript("ROLLBACK")
                throw StoreError.migration("migration \(migration.version) (\(migration.name)) failed: \(error)")
            }
            done.append(migration.version)
        }
        return done
    }

    /// Throws unless the database is exactly at this binary's schema (used with `--no-migrate`).
    func requireUpToDate(_ connection: some MigrationConnection) throws {
        let applied = try applied(on: connection)
        try verify(applied)
        let missing = pending(applied)
        if !missing.isEmpty {
            throw StoreError.migration(
                "the database needs migrations \(missing.map(\.version)); run `mixbit db upgrade`")
        }
    }
}
