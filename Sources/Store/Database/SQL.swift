/// A SQL statement whose interpolated values become bound parameters, never SQL text (STYLE.md pattern 14).
///
/// ```swift
/// let sql: SQL = "SELECT name FROM experiments WHERE experiment_id = \(id)"
/// ```
/// renders as `... = ?` on SQLite and `... = $1` on PostgreSQL, with `id` sent separately. Text that is
/// not a bind (a whitelisted column name, a per-dialect operator) must be spelled `\(unsafeSQL: "...")`.
struct SQL: Sendable, ExpressibleByStringInterpolation {
    enum Fragment: Sendable {
        case text(String)
        case bind(SQLValue)
    }

    private(set) var fragments: [Fragment] = []

    init(stringLiteral value: String) { fragments = [.text(value)] }

    init(stringInterpolation: StringInterpolation) { fragments = stringInterpolation.fragments }

    init(unsafeSQL text: String) { fragments = [.text(text)] }

    struct StringInterpolation: StringInterpolationProtocol {
        var fragments: [Fragment] = []
        init(literalCapacity: Int, interpolationCount: Int) {}
        mutating func appendLiteral(_ literal: String) { fragments.append(.text(literal)) }
        mutating func appendInterpolation(_ value: some SQLBindable) { fragments.append(.bind(value.sqlValue)) }
        /// nil binds SQL NULL.
        mutating func appendInterpolation<T: SQLBindable>(_ value: T?) {
            fragments.append(.bind(value?.sqlValue ?? .null))
        }
        mutating func appendInterpolation(unsafeSQL text: String) { fragments.append(.text(text)) }
        mutating func appendInterpolation(_ sql: SQL) { fragments.append(contentsOf: sql.fragments) }
    }

    mutating func append(_ other: SQL) { fragments.append(contentsOf: other.fragments) }

    static func + (lhs: SQL, rhs: SQL) -> SQL {
        var out = lhs
        out.append(rhs)
        return out
    }

    /// Joins statements with a separator such as `" AND "`.
    static func joined(_ parts: [SQL], separator: String) -> SQL {
        var out = SQL(unsafeSQL: "")
        for (i, part) in parts.enumerated() {
            if i > 0 { out.append(SQL(unsafeSQL: separator)) }
            out.append(part)
        }
        return out
    }

    /// `(?, ?, ?)` for an IN list.
    static func list(_ values: [some SQLBindable]) -> SQL {
        var out = SQL(unsafeSQL: "(")
        for (i, v) in values.enumerated() {
            if i > 0 { out.append(SQL(unsafeSQL: ", ")) }
            out.fragments.append(.bind(v.sqlValue))
        }
        out.append(SQL(unsafeSQL: ")"))
        return out
    }

    /// The text with dialect placeholders and the binds in order.
    func render(_ dialect: SQLDialect) -> (text: String, binds: [SQLValue]) {
        var text = ""
        var binds: [SQLValue] = []
        for fragment in fragments {
            switch fragment {
            case .text(let t): text += t
            case .bind(let v):
                binds.append(v)
                switch dialect {
                case .sqlite: text += "?"
                case .postgres: text += "$\(binds.count)"
                }
            }
        }
        return (text, binds)
    }
}
