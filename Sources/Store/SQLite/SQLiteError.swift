/// An error reported by the SQLite C API: primary and extended result code, message, and the SQL being run.
/// Bound arguments are deliberately absent (STYLE.md pattern 11).
struct SQLiteError: Error, CustomStringConvertible {
    let extendedCode: Int32
    let message: String
    let sql: String?

    var primaryCode: Int32 { extendedCode & 0xFF }

    var description: String { failure.description }

    var failure: DatabaseFailure {
        DatabaseFailure(backend: "sqlite", code: String(extendedCode), message: message, sql: sql)
    }

    // Extended result codes are function-like macros Swift does not import; values from
    // https://sqlite.org/rescode.html (SQLITE_CONSTRAINT | n << 8).
    static let constraintForeignKey: Int32 = 787
    static let constraintPrimaryKey: Int32 = 1555
    static let constraintUnique: Int32 = 2067

    /// A UNIQUE or PRIMARY KEY violation.
    var isUniqueViolation: Bool {
        extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey
    }

    var isForeignKeyViolation: Bool { extendedCode == Self.constraintForeignKey }
}
