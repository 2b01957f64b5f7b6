/// A connection that migrations can run multi-statement scripts on, with explicit transaction control.
protocol MigrationConnection: SQLSession {
    func runScript(_ sql: String) throws
}

extension SQLiteConnection: MigrationConnection {
    func runScript(_ sql: String) throws {
        do { try executeScript(sql) } catch { throw StoreError.fromSQLite(error) }
    }
}

extension PGConnection: MigrationConnection {
    func runScript(_ sql: String) throws {
        do { try executeScript(sql) } catch { throw StoreError.fromPostgres(error) }
    }
}
