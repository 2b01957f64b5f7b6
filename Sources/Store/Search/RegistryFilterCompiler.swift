/// Compiles registry filters (MLFLOW_API.md §4.4) into SQL conditions: registered models on `rm`, model versions
/// on `mv`. Column names come only from the whitelists below.
struct RegistryFilterCompiler {
    enum Target {
        case registeredModels
        case modelVersions
    }

    let dialect: SQLDialect
    let target: Target

    static let promptTag = "mlflow.prompt.is_prompt"

    func compile(_ expression: FilterExpression) throws -> [SQL] {
        var conditions: [SQL] = []
        for comparison in expression.comparisons {
            // The 3.x client appends `tag.`mlflow.prompt.is_prompt` != 'true'` to every model search to leave prompts
            // out. It means "is not a prompt", so models without the tag must match; an ordinary tag comparison
            // would require the tag to exist.
            if comparison.entity == .tag, comparison.key == Self.promptTag, comparison.op == .notEqual,
                case .string("true") = comparison.value
            {
                conditions.append(notAPrompt)
            } else {
                conditions.append(try compile(comparison))
            }
        }
        // Prompts live in the same tables but are hidden from plain model searches unless the filter names the tag.
        let namesPromptTag = expression.comparisons.contains { $0.entity == .tag && $0.key == Self.promptTag }
        if !namesPromptTag { conditions.append(notAPrompt) }
        return conditions
    }

    /// The owning registered model has no `mlflow.prompt.is_prompt = 'true'` tag.
    private var notAPrompt: SQL {
        let owner = target == .registeredModels ? "rm.name" : "mv.name"
        return """
            NOT EXISTS (SELECT 1 FROM registered_model_tags pt WHERE pt.name = \(unsafeSQL: owner) \
            AND pt.key = \(Self.promptTag) AND pt.value = 'true')
            """
    }

    private func compile(_ c: FilterExpression.Comparison) throws -> SQL {
        switch c.entity {
        case .tag:
            let (table, match) =
                target == .registeredModels
                ? ("registered_model_tags", "t.name = rm.name")
                : ("model_version_tags", "t.name = mv.name AND t.version = mv.version")
            switch (c.op, c.value) {
            case (.equal, .string(let v)), (.notEqual, .string(let v)), (.like, .string(let v)),
                (.ilike, .string(let v)):
                let predicate = SQLPredicates.string("t.value", c.op, v, dialect: dialect)
                return "EXISTS (SELECT 1 FROM \(unsafeSQL: table) t WHERE \(unsafeSQL: match) AND t.key = \(c.key) AND \(predicate))"
            default:
                throw SQLPredicates.invalid(c, "tags allow = != LIKE ILIKE with a quoted string")
            }
        case .attribute:
            let columns: [String: String] =
                target == .registeredModels
                ? ["name": "rm.name"]
                : ["name": "mv.name", "run_id": "mv.run_id", "source_path": "mv.source", "version_number": "mv.version"]
            guard let column = columns[c.key] else {
                throw StoreError.invalidParameter("Invalid filter: unknown attribute '\(c.key)'")
            }
            if column == "mv.version" {
                guard case .number(let n, _) = c.value, let version = Int64(exactly: n),
                    c.op.isOrdering || c.op == .equal || c.op == .notEqual
                else {
                    throw SQLPredicates.invalid(c, "version_number allows = != < <= > >= with an integer")
                }
                return "mv.version \(unsafeSQL: c.op == .notEqual ? "<>" : c.op.rawValue) \(version)"
            }
            switch (c.op, c.value) {
            case (.in, .list(let values)), (.notIn, .list(let values)):
                guard column != "mv.source" else { throw SQLPredicates.invalid(c, "IN is not allowed here") }
                return SQLPredicates.list(column, c.op, values)
            case (.equal, .string(let v)), (.notEqual, .string(let v)), (.like, .string(let v)),
                (.ilike, .string(let v)):
                return SQLPredicates.string(column, c.op, v, dialect: dialect)
            default:
                throw SQLPredicates.invalid(c, "allowed: = != LIKE ILIKE IN NOT IN with quoted strings")
            }
        default:
            throw StoreError.invalidParameter("Invalid filter: registry searches cannot filter on '\(c.source)'")
        }
    }
}
