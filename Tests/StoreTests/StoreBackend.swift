import Foundation
import Testing
@testable import Store

/// The backends every store test runs against. PostgreSQL needs MIXBIT_TEST_POSTGRES_URL (set by
/// scripts/with-postgres.sh); without it the PostgreSQL cases are left out locally, but under CI (env CI set)
/// they stay in and fail, so CI always tests both backends.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["MIXBIT_TEST_POSTGRES_URL"] }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }

    /// The backends to parameterise tests over.
    static var all: [StoreBackend] { postgresURL != nil || isCI ? [.sqlite, .postgres] : [.sqlite] }

    /// A fresh, empty, migrated location: a new SQLite file, or a new PostgreSQL schema selected through the
    /// connection URI's `options=-csearch_path=...`.
    func makeLocation() throws -> StoreLocation {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "mixbit-store-tests-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            return .sqlite(path: directory.appendingPathComponent("test.db").path)
        case .postgres:
            guard let url = Self.postgresURL else {
                throw StoreError.invalidState("CI is set but MIXBIT_TEST_POSTGRES_URL is missing: run under scripts/with-postgres.sh")
            }
            let schema = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            let connection = try PGConnection(uri: url)
            try connection.executeScript("CREATE SCHEMA \(schema)")
            let separator = url.contains("?") ? "&" : "?"
            return .postgres(uri: "\(url)\(separator)options=-csearch_path%3D\(schema)")
        }
    }

    func makeStore(options: StoreOptions = StoreOptions()) throws -> SQLStore {
        try SQLStore.open(makeLocation(), options: options)
    }
}

/// Milliseconds now, for timestamps in tests.
func nowMS() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
