/// The two SQL dialects the Store speaks.
enum SQLDialect: Sendable {
    case sqlite
    case postgres
}
