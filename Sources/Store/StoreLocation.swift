/// Where the tracking data lives, parsed from `--backend-store-uri`.
///
/// Accepted forms (the same spellings `mlflow server` takes):
/// - `sqlite:///relative/or/absolute/path.db` — three slashes then the path; `sqlite:////abs/path.db` is absolute;
///   `sqlite://:memory:` for a throwaway in-memory database;
/// - `postgresql://user:password@host:port/database` (also `postgres://`), handed to libpq unchanged.
public enum StoreLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(uri: String)

    /// The default embedded database of `mixbit serve`.
    public static let defaultSQLite = StoreLocation.sqlite(path: "./mixbit-data/mixbit.db")

    public init(uri: String) throws(StoreLocationError) {
        if uri.hasPrefix("sqlite://") {
            let rest = uri.dropFirst("sqlite://".count)
            if rest == ":memory:" {
                self = .sqlite(path: ":memory:")
                return
            }
            guard rest.hasPrefix("/"), rest.count > 1 else {
                throw StoreLocationError(uri: uri, reason: "expected sqlite:///path/to/file.db")
            }
            // `sqlite:///x.db` names the relative path x.db; `sqlite:////x.db` the absolute /x.db.
            self = .sqlite(path: String(rest.dropFirst()))
        } else if uri.hasPrefix("postgresql://") || uri.hasPrefix("postgres://") {
            self = .postgres(uri: uri)
        } else {
            throw StoreLocationError(uri: uri, reason: "the scheme must be sqlite:// or postgresql://")
        }
    }
}

/// A `--backend-store-uri` that cannot be used. The URI is not echoed in full because it may hold a password.
public struct StoreLocationError: Error, CustomStringConvertible, Equatable {
    public let scheme: String
    public let reason: String

    init(uri: String, reason: String) {
        scheme = String(uri.prefix { $0 != ":" })
        self.reason = reason
    }

    public var description: String { "invalid backend store URI (scheme '\(scheme)'): \(reason)" }
}
