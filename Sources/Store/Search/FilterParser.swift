/// Parses MLflow's filter grammar (MLFLOW_API.md §4.1) into a `FilterExpression`. Every error is
/// `StoreError.invalidParameter` naming the offending token, so the API answers INVALID_PARAMETER_VALUE.
struct FilterParser {
    private let input: String
    private let tokens: [FilterToken]
    private var index = 0

    /// Comparisons per filter. Each becomes at least one level of the SQL expression tree, and SQLite refuses a tree
    /// deeper than 1 000 (https://sqlite.org/limits.html, SQLITE_MAX_EXPR_DEPTH): a longer filter would fail in
    /// the database, as a 500, instead of as a bad filter.
    static let maxComparisons = 250

    static func parse(_ filter: String) throws -> FilterExpression {
        var parser = FilterParser(input: filter, tokens: try FilterLexer.tokenize(filter))
        let expression = try parser.parseFilter()
        guard expression.comparisons.count <= maxComparisons else {
            throw StoreError.invalidParameter(
                "Invalid filter: \(expression.comparisons.count) comparisons; at most \(maxComparisons) are accepted")
        }
        return expression
    }

    private init(input: String, tokens: [FilterToken]) {
        self.input = input
        self.tokens = tokens
    }

    private var current: FilterToken? { index < tokens.count ? tokens[index] : nil }

    private mutating func next() -> FilterToken? {
        defer { index += 1 }
        return current
    }

    private func unexpected(_ token: FilterToken?) -> StoreError {
        guard let token else {
            return .invalidParameter("Invalid filter '\(input)': unexpected end of filter")
        }
        return FilterLexer.invalidToken(token.text, at: token.position, in: input)
    }

    private mutating func parseFilter() throws -> FilterExpression {
        var comparisons: [FilterExpression.Comparison] = []
        if tokens.isEmpty { return FilterExpression(comparisons: []) }
        while true {
            comparisons.append(try parseComparison())
            guard let token = next() else { break }
            guard token.isKeyword("AND") else { throw unexpected(token) }
        }
        return FilterExpression(comparisons: comparisons)
    }

    private mutating func parseComparison() throws -> FilterExpression.Comparison {
        guard let lhs = next() else { throw unexpected(nil) }
        let entity: FilterExpression.Entity
        let key: String
        switch lhs.kind {
        case .word where !["AND", "OR", "NOT", "IN", "IS", "LIKE", "ILIKE", "NULL"].contains(lhs.text.uppercased()),
            .backticked, .doubleQuoted:
            if lhs.kind == .word || lhs.text.contains(".") && lhs.kind == .backticked {
                guard let split = FilterExpression.identifier(lhs.text) else {
                    let prefix = lhs.text.prefix { $0 != "." }
                    throw StoreError.invalidParameter(
                        "Invalid filter '\(input)': invalid entity type '\(prefix)' in '\(lhs.text)'")
                }
                (entity, key) = split
            } else {
                (entity, key) = (.attribute, lhs.text)  // a bare quoted name such as `run name`
            }
        default:
            throw unexpected(lhs)
        }
        guard !key.isEmpty else { throw unexpected(lhs) }
        let op = try parseOperator()
        let value: FilterExpression.Value
        switch op {
        case .isNull, .isNotNull:
            value = .none
        case .in, .notIn:
            value = .list(try parseList())
        default:
            guard let token = next() else { throw unexpected(nil) }
            switch token.kind {
            case .string, .doubleQuoted: value = .string(token.text)
            case .number:
                guard let number = Double(token.text) else { throw unexpected(token) }
                value = .number(number, spelling: token.text)
            default: throw unexpected(token)
            }
        }
        return FilterExpression.Comparison(entity: entity, key: key, op: op, value: value, source: lhs.text)
    }

    private mutating func parseOperator() throws -> FilterExpression.Operator {
        guard let token = next() else { throw unexpected(nil) }
        if token.kind == .comparison {
            switch token.text {
            case "=": return .equal
            case "!=", "<>": return .notEqual
            case "<": return .less
            case "<=": return .lessOrEqual
            case ">": return .greater
            case ">=": return .greaterOrEqual
            default: throw unexpected(token)
            }
        }
        if token.isKeyword("LIKE") { return .like }
        if token.isKeyword("ILIKE") { return .ilike }
        if token.isKeyword("IN") { return .in }
        if token.isKeyword("NOT") {
            guard let after = next(), after.isKeyword("IN") else { throw unexpected(tokens[safe: index - 1]) }
            return .notIn
        }
        if token.isKeyword("IS") {
            guard let after = next() else { throw unexpected(nil) }
            if after.isKeyword("NULL") { return .isNull }
            guard after.isKeyword("NOT"), let null = next(), null.isKeyword("NULL") else {
                throw unexpected(tokens[safe: index - 1])
            }
            return .isNotNull
        }
        throw unexpected(token)
    }

    private mutating func parseList() throws -> [String] {
        guard let open = next(), open.kind == .openParen else { throw unexpected(tokens[safe: index - 1]) }
        _ = open
        var values: [String] = []
        while true {
            guard let token = next() else { throw unexpected(nil) }
            switch token.kind {
            case .string, .doubleQuoted: values.append(token.text)
            case .number: values.append(token.text)
            default: throw unexpected(token)
            }
            guard let separator = next() else { throw unexpected(nil) }
            if separator.kind == .closeParen { break }
            guard separator.kind == .comma else { throw unexpected(separator) }
        }
        return values
    }
}
