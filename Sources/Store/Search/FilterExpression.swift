/// A parsed filter: comparisons joined by AND (MLflow allows no OR and no grouping, MLFLOW_API.md §4.1).
/// Parsed once, then compiled per dialect by `RunFilterCompiler` / `ExperimentFilterCompiler`.
struct FilterExpression: Sendable, Equatable {
    var comparisons: [Comparison]

    enum Entity: String, Sendable, Equatable {
        case metric, param, tag, attribute, dataset
    }

    enum Operator: String, Sendable, Equatable {
        case equal = "="
        case notEqual = "!="
        case less = "<"
        case lessOrEqual = "<="
        case greater = ">"
        case greaterOrEqual = ">="
        case like = "LIKE"
        case ilike = "ILIKE"
        case `in` = "IN"
        case notIn = "NOT IN"
        case isNull = "IS NULL"
        case isNotNull = "IS NOT NULL"

        var isOrdering: Bool { [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(self) }
    }

    enum Value: Sendable, Equatable {
        case number(Double, spelling: String)
        case string(String)
        case list([String])
        case none
    }

    struct Comparison: Sendable, Equatable {
        var entity: Entity
        var key: String
        var op: Operator
        var value: Value
        /// The left-hand side as written, for error messages.
        var source: String
    }

    /// Splits `<entity>.<key>` on the first dot (MLFLOW_API.md §4.1); a name with no known prefix is an attribute.
    static func identifier(_ text: String) -> (Entity, String)? {
        guard let dot = text.firstIndex(of: ".") else { return (.attribute, text) }
        let prefix = text[..<dot].lowercased()
        let key = String(text[text.index(after: dot)...])
        switch prefix {
        case "metric", "metrics": return (.metric, key)
        case "param", "params", "parameter", "parameters": return (.param, key)
        case "tag", "tags": return (.tag, key)
        case "attribute", "attributes", "attr", "run": return (.attribute, key)
        case "dataset", "datasets": return (.dataset, key)
        default: return nil
        }
    }
}
