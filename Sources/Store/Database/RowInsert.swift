/// The shape of a row insert: `head` + one `row` per row + `tail`, e.g.
/// `INSERT INTO t (a, b) VALUES ` … ` ON CONFLICT DO NOTHING`. Head, row and tail are fixed SQL, never user data.
struct RowInsert: Sendable {
    let head: String
    /// One row's SQL with `?` for each bound value, e.g. `(?, ?)` or `(?, (SELECT MAX(x) FROM t WHERE a = ?) + ?)`.
    let row: String
    let tail: String

    /// A row of `columns` plain placeholders.
    init(head: String, columns: Int, tail: String) {
        self.init(head: head, row: "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")", tail: tail)
    }

    init(head: String, row: String, tail: String) {
        self.head = head
        self.row = row
        self.tail = tail
    }

    /// The statement for `rowCount` rows in `dialect`.
    func text(rowCount: Int, dialect: SQLDialect) -> String {
        var text = head
        var n = 0
        for index in 0..<rowCount {
            if index > 0 { text += ", " }
            switch dialect {
            case .sqlite: text += row
            case .postgres:
                for character in row {
                    if character == "?" {
                        n += 1
                        text += "$\(n)"
                    } else {
                        text.append(character)
                    }
                }
            }
        }
        return text + tail
    }
}
