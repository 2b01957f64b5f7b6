import ArgumentParser
import Store

/// `mixbit db …`: database maintenance.
struct DBCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Manage the tracking database.",
        subcommands: [Upgrade.self]
    )

    /// `mixbit db upgrade`: applies the embedded migrations that the database lacks.
    struct Upgrade: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apply pending schema migrations to the backend store.",
            discussion: """
                Each migration runs in its own transaction together with its schema_migrations row. Refuses a \
                database that a newer mixbit migrated or whose applied migrations changed.
                """
        )

        @Option(help: "sqlite:///path/to.db or postgresql://user:pass@host:port/db")
        var backendStoreURI = "sqlite:///mixbit-data/mixbit.db"

        func run() throws {
            let location: StoreLocation
            do {
                location = try StoreLocation(uri: backendStoreURI)
            } catch {
                throw ValidationError(error.description)
            }
            let applied = try SQLStore.upgrade(location)
            let latest = SQLStore.latestSchemaVersion(for: location)
            if applied.isEmpty {
                print("database is up to date (schema version \(latest))")
            } else {
                print("applied migrations \(applied.map(String.init).joined(separator: ", ")); schema version \(latest)")
            }
        }
    }
}
