import Testing
@testable import Store

@Suite struct MigrationTests {
    /// Runs `body` on a raw connection to `location`, outside any store.
    @discardableResult
    private func withConnection<T>(_ location: StoreLocation, _ body: (any MigrationConnection) throws -> T) throws -> T {
        switch location {
        case .sqlite(let path): return try body(SQLiteConnection(path: path, configuration: .init()))
        case .postgres(let uri): return try body(PGConnection(uri: uri))
        }
    }

    private func expectMigrationError(_ location: StoreLocation, options: StoreOptions = StoreOptions(), mentioning text: String) {
        do {
            let store = try SQLStore.open(location, options: options)
            store.close()
            Issue.record("opening should have been refused")
        } catch let error as StoreError {
            guard case .migration(let message) = error else {
                Issue.record("expected a migration error, got \(error)")
                return
            }
            #expect(message.contains(text), "\(message)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: StoreBackend.all)
    func freshDatabase_GetsEveryMigrationWithChecksums(backend: StoreBackend) throws {
        let location = try backend.makeLocation()
        let store = try SQLStore.open(location)
        store.close()
        let migrator = Migrator(dialect: backend == .sqlite ? .sqlite : .postgres)
        let applied = try withConnection(location) { try migrator.applied(on: $0) }
        #expect(applied.map(\.version) == migrator.migrations.map(\.version))
        #expect(applied.map(\.checksum) == migrator.migrations.map(\.checksum))
        #expect(migrator.latestVersion >= 3)
        // Opening again applies nothing and succeeds.
        #expect(try SQLStore.upgrade(location) == [])
    }

    /// Migration 0005 drops SQLite's (key, value) indexes, which no SQLite query used; PostgreSQL keeps them.
    @Test(arguments: StoreBackend.all)
    func keyValueIndexes_OnlyOnPostgres(backend: StoreBackend) throws {
        let location = try backend.makeLocation()
        let store = try SQLStore.open(location)
        store.close()
        let names = ["latest_metrics_by_key", "params_by_key", "tags_by_key"]
        let found = try withConnection(location) { connection in
            switch backend {
            case .sqlite:
                return try connection.query("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name")
                    .map { $0.string(0) }.filter { names.contains($0) }
            case .postgres:
                return try connection.query("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname")
                    .map { $0.string(0) }.filter { names.contains($0) }
            }
        }
        #expect(found == (backend == .sqlite ? [] : names))
    }

    @Test(arguments: StoreBackend.all)
    func upgrade_FromEachEarlierVersionKeepsData(backend: StoreBackend) throws {
        let migrator = Migrator(dialect: backend == .sqlite ? .sqlite : .postgres)
        for start in 0..<migrator.latestVersion {
            let location = try backend.makeLocation()
            try withConnection(location) { connection in
                try migrator.migrate(connection, upTo: start)
                if start >= 1 {
                    try connection.execute(
                        "INSERT INTO experiments (name, artifact_location, creation_time, last_update_time) VALUES ('kept', 'x', 1, 1)")
                }
            }
            let upgraded = try SQLStore.upgrade(location)
            #expect(upgraded == Array((start + 1)...migrator.latestVersion))
            let store = try SQLStore.open(location)
            defer { store.close() }
            if start >= 1 { #expect(try store.getExperiment(name: "kept").experimentID == "1") }
            #expect(try store.getExperiment(id: "0").name == "Default")
        }
    }

    @Test(arguments: StoreBackend.all)
    func refuses_DatabaseMigratedByNewerBinary(backend: StoreBackend) throws {
        let location = try backend.makeLocation()
        try SQLStore.open(location).close()
        try withConnection(location) { connection in
            try connection.execute(
                "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (9999, 'future', 'x', 1)")
        }
        expectMigrationError(location, mentioning: "newer")
        expectMigrationError(location, options: { var o = StoreOptions(); o.applyMigrations = false; return o }(), mentioning: "newer")
        #expect(throws: StoreError.self) { try SQLStore.upgrade(location) }
    }

    @Test(arguments: StoreBackend.all)
    func refuses_ChangedMigration(backend: StoreBackend) throws {
        let location = try backend.makeLocation()
        try SQLStore.open(location).close()
        try withConnection(location) { connection in
            try connection.execute("UPDATE schema_migrations SET checksum = 'fnv1a64:0000000000000000' WHERE version = 1")
        }
        expectMigrationError(location, mentioning: "changed")
    }

    @Test(arguments: StoreBackend.all)
    func noMigrate_RefusesAnOutdatedDatabase(backend: StoreBackend) throws {
        let location = try backend.makeLocation()
        var options = StoreOptions()
        options.applyMigrations = false
        expectMigrationError(location, options: options, mentioning: "mixbit db upgrade")
        _ = try SQLStore.upgrade(location)
        try SQLStore.open(location, options: options).close()
    }

    @Test func failedMigration_LeavesNoTraceOfItself() throws {
        let location = try StoreBackend.sqlite.makeLocation()
        guard case .sqlite(let path) = location else { return }
        let broken = Migrator(migrations: [
            Migration(version: 1, name: "ok", sql: "CREATE TABLE a (x INTEGER)"),
            Migration(version: 2, name: "broken", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nowhere VALUES (1)"),
        ])
        let connection = try SQLiteConnection(path: path, configuration: .init())
        #expect(throws: StoreError.self) { try broken.migrate(connection) }
        #expect(try broken.applied(on: connection).map(\.version) == [1])
        // Table b was created inside the failed migration's transaction, so it must not exist.
        #expect(try connection.query("SELECT name FROM sqlite_master WHERE name = 'b'").isEmpty)
    }
}
