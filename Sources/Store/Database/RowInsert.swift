/// The shape of a row insert: `head` + `(v1, …, vN)` per row + `tail`, e.g.
/// `INSERT INTO t (a, b) VALUES ` … ` ON CONFLICT DO NOTHING`. Head and tail are fixed SQL, never user data.
struct RowInsert: Sendable {
    let head: String
    let columns: Int
    let tail: String

    /// The statement for `rowCount` rows in `dialect`.
    func text(rowCount: Int, dialect: SQLDialect) -> String {
        var text = head
        var n = 0
        for row in 0..<rowCount {
            text += row == 0 ? "(" : ", ("
            for column in 0..<columns {
                n += 1
                if column > 0 { text += ", " }
                text += dialect == .sqlite ? "?" : "$\(n)"
            }
            text += ")"
        }
        return text + tail
    }
}
