/// One forward-only schema change, as embedded from `migrations/<dialect>/NNNN_name.sql`.
struct Migration: Sendable {
    let version: Int
    let name: String
    let sql: String

    /// FNV-1a 64 of the file's text: enough to notice that an applied migration was edited afterwards.
    var checksum: String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in sql.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "fnv1a64:" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// A row of `schema_migrations`.
struct AppliedMigration: Sendable, Equatable {
    let version: Int
    let name: String
    let checksum: String
}
