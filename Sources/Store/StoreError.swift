/// What went wrong in the Store, in terms the HTTP layer can map to MLflow error codes.
///
/// | case | MLflow `error_code` | HTTP |
/// |---|---|---|
/// | `notFound` | `RESOURCE_DOES_NOT_EXIST` | 404 |
/// | `alreadyExists` | `RESOURCE_ALREADY_EXISTS` | 400 |
/// | `invalidParameter` | `INVALID_PARAMETER_VALUE` | 400 |
/// | `invalidState` | `INVALID_STATE` | 500 in MLflow (§2.1 rename of a deleted experiment) |
/// | `migration` | — (startup failure) | — |
/// | `database` | `INTERNAL_ERROR` | 500 |
///
/// Messages are safe to show to clients: they never contain bound SQL values or server details.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    case notFound(String)
    case alreadyExists(String)
    case invalidParameter(String)
    case invalidState(String)
    /// The database's schema does not match this binary (newer, changed, or not yet upgraded).
    case migration(String)
    /// A database failure that is not the caller's fault; `detail` carries code and SQL, never values.
    case database(DatabaseFailure)

    public var description: String {
        switch self {
        case .notFound(let m), .alreadyExists(let m), .invalidParameter(let m), .invalidState(let m),
            .migration(let m):
            return m
        case .database(let failure): return failure.description
        }
    }

    /// The MLflow error code name for this error (MLFLOW_API.md §1.5).
    public var mlflowErrorCode: String {
        switch self {
        case .notFound: return "RESOURCE_DOES_NOT_EXIST"
        case .alreadyExists: return "RESOURCE_ALREADY_EXISTS"
        case .invalidParameter: return "INVALID_PARAMETER_VALUE"
        case .invalidState: return "INVALID_STATE"
        case .migration, .database: return "INTERNAL_ERROR"
        }
    }
}

/// A backend error: which backend, its code (SQLite result code or PostgreSQL SQLSTATE), its message and the
/// SQL text. Bound values are never recorded.
public struct DatabaseFailure: Error, Equatable, CustomStringConvertible, Sendable {
    public let backend: String
    public let code: String
    public let message: String
    public let sql: String?

    public var description: String {
        "\(backend) error \(code): \(message)" + (sql.map { " [SQL: \($0.prefix(300))]" } ?? "")
    }
}
