/// Compiles a parsed runs/search filter (MLFLOW_API.md §4.1) into SQL conditions on `runs r`, with binds.
struct RunFilterCompiler {
    let dialect: SQLDialect

    /// Run attributes that are strings, mapped to their column (a whitelist: names never reach SQL otherwise).
    static let stringAttributes: [String: String] = [
        "run_id": "r.run_uuid", "run_name": "r.name", "run name": "r.name", "Run name": "r.name",
        "Run Name": "r.name", "status": "r.status", "user_id": "r.user_id", "artifact_uri": "r.artifact_uri",
    ]
    static let numericAttributes: [String: String] = [
        "start_time": "r.start_time", "created": "r.start_time", "Created": "r.start_time",
        "end_time": "r.end_time",
    ]

    func compile(_ expression: FilterExpression) throws -> [SQL] {
        try expression.comparisons.map(compile)
    }

    private func compile(_ c: FilterExpression.Comparison) throws -> SQL {
        switch c.entity {
        case .metric:
            guard case .number(let number, _) = c.value else {
                throw SQLPredicates.invalid(c, "metrics are compared with numeric literals")
            }
            let comparison: SQL
            switch c.op {
            // NaN compares false to everything except !=, which it satisfies (MLFLOW_API.md §4.1).
            case .notEqual: comparison = "(m.is_nan = 1 OR m.value <> \(number))"
            case .equal, .less, .lessOrEqual, .greater, .greaterOrEqual:
                comparison = "m.is_nan = 0 AND m.value \(unsafeSQL: c.op.rawValue) \(number)"
            default: throw SQLPredicates.invalid(c, "metrics allow = != < <= > >=")
            }
            return """
                EXISTS (SELECT 1 FROM latest_metrics m WHERE m.run_seq = r.run_seq AND m.key = \(c.key) \
                AND \(comparison))
                """
        case .param, .tag:
            let table = c.entity == .param ? "params" : "tags"
            switch (c.op, c.value) {
            case (.isNull, _):
                return "NOT EXISTS (SELECT 1 FROM \(unsafeSQL: table) p WHERE p.run_uuid = r.run_uuid AND p.key = \(c.key))"
            case (.isNotNull, _):
                return "EXISTS (SELECT 1 FROM \(unsafeSQL: table) p WHERE p.run_uuid = r.run_uuid AND p.key = \(c.key))"
            case (.equal, .string(let v)), (.notEqual, .string(let v)), (.like, .string(let v)),
                (.ilike, .string(let v)):
                let predicate = SQLPredicates.string("p.value", c.op, v, dialect: dialect)
                return """
                    EXISTS (SELECT 1 FROM \(unsafeSQL: table) p WHERE p.run_uuid = r.run_uuid AND p.key = \(c.key) \
                    AND \(predicate))
                    """
            case (.equal, _), (.notEqual, _), (.like, _), (.ilike, _):
                throw SQLPredicates.invalid(c, "\(c.entity.rawValue)s are compared with quoted strings")
            default:
                throw SQLPredicates.invalid(c, "\(c.entity.rawValue)s allow = != LIKE ILIKE IS NULL IS NOT NULL")
            }
        case .attribute:
            if let column = Self.stringAttributes[c.key] {
                switch (c.op, c.value) {
                case (.in, .list(let values)), (.notIn, .list(let values)):
                    guard column == "r.run_uuid" else { throw SQLPredicates.invalid(c, "IN is only allowed for run_id") }
                    return SQLPredicates.list(column, c.op, values)
                case (.equal, .string(let v)), (.notEqual, .string(let v)), (.like, .string(let v)),
                    (.ilike, .string(let v)):
                    return SQLPredicates.string(column, c.op, v, dialect: dialect)
                default:
                    throw SQLPredicates.invalid(c, "string attributes allow = != LIKE ILIKE with a quoted string")
                }
            }
            if let column = Self.numericAttributes[c.key] {
                guard case .number(let number, let spelling) = c.value, let integer = Int64(exactly: number),
                    c.op.isOrdering || c.op == .equal || c.op == .notEqual
                else {
                    throw SQLPredicates.invalid(c, "numeric attributes allow = != < <= > >= with an integer")
                }
                _ = spelling
                return "\(unsafeSQL: column) \(unsafeSQL: c.op == .notEqual ? "<>" : c.op.rawValue) \(integer)"
            }
            throw StoreError.invalidParameter("Invalid filter: unknown run attribute '\(c.key)'")
        case .dataset:
            let column: String
            var join = ""
            switch c.key {
            case "name": column = "d.name"
            case "digest": column = "d.digest"
            case "context":
                column = "t.value"
                join = " JOIN input_tags t ON t.input_uuid = i.input_uuid AND t.name = 'mlflow.data.context'"
            default: throw StoreError.invalidParameter("Invalid filter: unknown dataset attribute '\(c.key)'")
            }
            let predicate: SQL
            switch (c.op, c.value) {
            case (.in, .list(let values)), (.notIn, .list(let values)):
                predicate = SQLPredicates.list(column, c.op, values)
            case (.equal, .string(let v)), (.notEqual, .string(let v)), (.like, .string(let v)),
                (.ilike, .string(let v)):
                predicate = SQLPredicates.string(column, c.op, v, dialect: dialect)
            default:
                throw SQLPredicates.invalid(c, "datasets allow = != LIKE ILIKE IN NOT IN with quoted strings")
            }
            return """
                EXISTS (SELECT 1 FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id\(unsafeSQL: join) \
                WHERE i.destination_id = r.run_uuid AND i.source_type = 'DATASET' AND \(predicate))
                """
        }
    }
}
