import Testing
@testable import Store

/// The pool replaces connections the server dropped, so the store keeps working after PostgreSQL restarts.
/// Terminating every backend of the test database has the same effect on the pool as a restart.
@Suite struct PostgresReconnectTests {
    @Test(arguments: StoreBackend.all.filter { $0 == .postgres })
    func survivesTerminatedConnections(backend: StoreBackend) throws {
        guard case .postgres(let base) = try backend.makeLocation() else { return }
        // Tag this store's connections so that only they are terminated, not those of tests running alongside.
        let tag = "reconnect_\(UInt32.random(in: 0...UInt32.max))"
        let uri = base + "&application_name=\(tag)"
        let store = try SQLStore.open(.postgres(uri: uri))
        defer { store.close() }
        let run = try store.createRun(RunCreate(startTime: 1))
        try store.logMetric(runID: run.info.runID, Metric(key: "before", value: 1, timestamp: 1))
        _ = try store.getRun(id: run.info.runID)

        let admin = try PGConnection(uri: base)
        try admin.executeScript(
            """
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = '\(tag)' AND pid <> pg_backend_pid()
            """)

        // Both a write and a read succeed on fresh connections, without the caller seeing the drop.
        try store.logMetric(runID: run.info.runID, Metric(key: "after", value: 2, timestamp: 2))
        #expect(try store.getRun(id: run.info.runID).metrics.map(\.key) == ["after", "before"])
    }
}
