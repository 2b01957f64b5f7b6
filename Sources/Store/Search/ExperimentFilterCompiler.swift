/// Compiles an experiments/search filter (MLFLOW_API.md §4.3) into SQL conditions on `experiments e`.
struct ExperimentFilterCompiler {
    let dialect: SQLDialect

    func compile(_ expression: FilterExpression) throws -> [SQL] {
        try expression.comparisons.map(compile)
    }

    private func compile(_ c: FilterExpression.Comparison) throws -> SQL {
        switch c.entity {
        case .tag:
            switch (c.op, c.value) {
            case (.isNull, _):
                return "NOT EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = \(c.key))"
            case (.isNotNull, _):
                return "EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id AND t.key = \(c.key))"
            case (.equal, .string(let v)), (.notEqual, .string(let v)), (.like, .string(let v)),
                (.ilike, .string(let v)):
                let predicate = SQLPredicates.string("t.value", c.op, v, dialect: dialect)
                return """
                    EXISTS (SELECT 1 FROM experiment_tags t WHERE t.experiment_id = e.experiment_id \
                    AND t.key = \(c.key) AND \(predicate))
                    """
            default:
                throw SQLPredicates.invalid(c, "tags allow = != LIKE ILIKE with a quoted string, IS NULL, IS NOT NULL")
            }
        case .attribute:
            switch c.key {
            case "name":
                guard case .string(let v) = c.value, [.equal, .notEqual, .like, .ilike].contains(c.op) else {
                    throw SQLPredicates.invalid(c, "name allows = != LIKE ILIKE with a quoted string")
                }
                return SQLPredicates.string("e.name", c.op, v, dialect: dialect)
            case "experiment_id":
                switch (c.op, c.value) {
                case (.in, .list(let values)), (.notIn, .list(let values)):
                    return SQLPredicates.list("e.experiment_id", c.op, try values.map { try Self.experimentID($0, c) })
                case (.equal, .string(let v)), (.notEqual, .string(let v)):
                    return "e.experiment_id \(unsafeSQL: c.op == .equal ? "=" : "<>") \(try Self.experimentID(v, c))"
                case (.equal, .number(_, let s)), (.notEqual, .number(_, let s)):
                    return "e.experiment_id \(unsafeSQL: c.op == .equal ? "=" : "<>") \(try Self.experimentID(s, c))"
                default:
                    throw SQLPredicates.invalid(c, "experiment_id allows = != IN NOT IN")
                }
            case "creation_time", "last_update_time":
                guard case .number(let number, _) = c.value, let integer = Int64(exactly: number),
                    c.op.isOrdering || c.op == .equal || c.op == .notEqual
                else {
                    throw SQLPredicates.invalid(c, "times allow = != < <= > >= with an integer literal")
                }
                let column = c.key == "creation_time" ? "e.creation_time" : "e.last_update_time"
                return "\(unsafeSQL: column) \(unsafeSQL: c.op == .notEqual ? "<>" : c.op.rawValue) \(integer)"
            default:
                throw StoreError.invalidParameter("Invalid filter: unknown experiment attribute '\(c.key)'")
            }
        default:
            throw StoreError.invalidParameter(
                "Invalid filter: experiments cannot be filtered by '\(c.source)' (only attributes and tags)")
        }
    }

    static func experimentID(_ text: String, _ c: FilterExpression.Comparison) throws -> Int64 {
        guard let id = Int64(text) else { throw SQLPredicates.invalid(c, "'\(text)' is not an experiment ID") }
        return id
    }
}
