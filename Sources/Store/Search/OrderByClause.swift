/// One parsed `order_by` element: `<identifier> [ASC|DESC]` (MLFLOW_API.md §4.2).
struct OrderByClause: Sendable, Equatable {
    var entity: FilterExpression.Entity
    var key: String
    var ascending: Bool

    static func parse(_ text: String) throws -> OrderByClause {
        let tokens = try FilterLexer.tokenize(text)
        guard let first = tokens.first, [.word, .backticked, .doubleQuoted].contains(first.kind) else {
            throw StoreError.invalidParameter("Invalid order_by clause '\(text)'")
        }
        let entity: FilterExpression.Entity
        let key: String
        if first.kind == .word || first.text.contains(".") {
            guard let split = FilterExpression.identifier(first.text) else {
                throw StoreError.invalidParameter("Invalid order_by clause '\(text)': unknown entity in '\(first.text)'")
            }
            (entity, key) = split
        } else {
            (entity, key) = (.attribute, first.text)
        }
        var ascending = true
        if tokens.count >= 2 {
            let direction = tokens[1]
            if direction.isKeyword("ASC") {
                ascending = true
            } else if direction.isKeyword("DESC") {
                ascending = false
            } else {
                throw StoreError.invalidParameter(
                    "Invalid order_by clause '\(text)': unexpected token '\(direction.text)'")
            }
        }
        guard tokens.count <= 2, !key.isEmpty else {
            throw StoreError.invalidParameter("Invalid order_by clause '\(text)': unexpected token '\(tokens.last!.text)'")
        }
        return OrderByClause(entity: entity, key: key, ascending: ascending)
    }
}
