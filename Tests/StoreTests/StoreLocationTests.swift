import Store
import Testing

@Suite struct StoreLocationTests {
    @Test func sqliteURI_KeepsRelativeAndAbsolutePaths() throws {
        #expect(try StoreLocation(uri: "sqlite:///mixbit-data/m.db") == .sqlite(path: "mixbit-data/m.db"))
        #expect(try StoreLocation(uri: "sqlite:////var/lib/m.db") == .sqlite(path: "/var/lib/m.db"))
        #expect(try StoreLocation(uri: "sqlite://:memory:") == .sqlite(path: ":memory:"))
    }

    @Test func postgresURI_IsPassedThrough() throws {
        let uri = "postgresql://u:p@127.0.0.1:5432/db"
        #expect(try StoreLocation(uri: uri) == .postgres(uri: uri))
        #expect(try StoreLocation(uri: "postgres://h/db") == .postgres(uri: "postgres://h/db"))
    }

    @Test func unknownScheme_IsRejectedWithoutEchoingSecrets() {
        #expect(throws: StoreLocationError.self) { try StoreLocation(uri: "mysql://u:secret@h/db") }
        do {
            _ = try StoreLocation(uri: "mysql://u:secret@h/db")
        } catch {
            #expect(!error.description.contains("secret"))
        }
        #expect(throws: StoreLocationError.self) { try StoreLocation(uri: "sqlite://") }
    }
}
