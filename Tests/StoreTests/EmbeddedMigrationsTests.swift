import Foundation
import Testing
@testable import Store

/// migrations/ is the single source of truth; Sources/Store/Migrations/EmbeddedMigrations.swift must match it.
/// On failure run `python3 scripts/embed-migrations.py`.
@Suite struct EmbeddedMigrationsTests {
    private static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private func files(_ dialect: String) throws -> [(version: Int, name: String, sql: String)] {
        let directory = Self.repositoryRoot.appendingPathComponent("migrations/\(dialect)")
        return try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".sql") }.sorted()
            .map { file in
                let stem = file.dropLast(4)
                let version = Int(stem.prefix(4))!
                var sql = try String(contentsOf: directory.appendingPathComponent(file), encoding: .utf8)
                if sql.hasSuffix("\n") { sql.removeLast() }
                return (version, String(stem.dropFirst(5)), sql)
            }
    }

    @Test(arguments: ["sqlite", "postgres"])
    func generatedFile_MatchesMigrationsDirectory(dialect: String) throws {
        let embedded = dialect == "sqlite" ? EmbeddedMigrations.sqlite : EmbeddedMigrations.postgres
        let onDisk = try files(dialect)
        #expect(embedded.map(\.version) == onDisk.map(\.version), "run python3 scripts/embed-migrations.py")
        #expect(embedded.map(\.name) == onDisk.map(\.name), "run python3 scripts/embed-migrations.py")
        for (migration, file) in zip(embedded, onDisk) {
            #expect(migration.sql == file.sql, "migration \(file.version) differs: run python3 scripts/embed-migrations.py")
        }
        // Versions are 1, 2, 3, ... with no gaps, and both dialects carry the same versions.
        #expect(embedded.map(\.version) == Array(1...embedded.count))
        #expect(EmbeddedMigrations.sqlite.map(\.name) == EmbeddedMigrations.postgres.map(\.name))
    }
}
