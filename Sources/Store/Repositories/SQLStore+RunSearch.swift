extension SQLStore {
    // MARK: - runs/search (MLFLOW_API.md §4.1–4.2)

    public func searchRuns(_ search: RunSearch) throws -> Page<Run> {
        try Validation.maxResults(search.maxResults)
        let offset = try PageToken.decode(search.pageToken)
        let experimentIDs = try search.experimentIDs.map(Validation.experimentID)
        let (orderJoins, order) = try Self.runOrder(search.orderBy)
        let filter = try RunFilterCompiler(dialect: dialect)
            .compile(FilterParser.parse(search.filter), otherTables: 1 + search.orderBy.count)
        guard !experimentIDs.isEmpty else { return Page(items: [], nextPageToken: nil) }
        let stages = search.viewType.stages
        let limit = search.maxResults
        return try read { db in
            var sql: SQL = "SELECT r.run_uuid FROM runs r"
            for join in filter.joins { sql.append(" " + join) }
            sql.append(orderJoins)
            sql.append(" WHERE r.experiment_id IN \(SQL.list(experimentIDs)) AND r.lifecycle_stage IN \(SQL.list(stages))")
            for condition in filter.conditions { sql.append(" AND " + condition) }
            sql.append(" ORDER BY \(unsafeSQL: order) LIMIT \(limit + 1) OFFSET \(offset)")
            let ids = try db.query(sql).map { $0.string(0) }
            let (pageIDs, next) = PageToken.page(ids, offset: offset, limit: limit)
            return Page(items: try Self.loadRuns(db, ids: pageIDs, includeModelInputs: false), nextPageToken: next)
        }
    }

    /// order_by clauses per search. Each metric, param or tag clause adds a join and two ORDER BY terms; the SQLite
    /// this runs on (3.40.1, Debian 12) crashes the process on a join ordered by 64 terms or more (found with 31
    /// metric clauses), so the count is bounded well below that.
    static let maxOrderByClauses = 20

    /// Builds the LEFT JOINs and ORDER BY for runs/search. Keys are bound in the joins; column names come only
    /// from the attribute whitelist. Default order is `start_time DESC, run_id ASC`, and that tie-breaker is always
    /// appended (MLFLOW_API.md §4.2).
    static func runOrder(_ clauses: [String]) throws -> (joins: SQL, order: String) {
        guard clauses.count <= maxOrderByClauses else {
            throw StoreError.invalidParameter(
                "order_by has \(clauses.count) clauses; at most \(maxOrderByClauses) are accepted")
        }
        var joins = SQL(unsafeSQL: "")
        var parts: [String] = []
        var seen: Set<String> = []
        var usesStartTime = false
        var usesRunID = false
        for (n, text) in clauses.enumerated() {
            let clause = try OrderByClause.parse(text)
            let direction = clause.ascending ? "ASC" : "DESC"
            guard seen.insert("\(clause.entity.rawValue).\(clause.key)").inserted else {
                throw StoreError.invalidParameter("order_by contains duplicate fields: '\(text)'")
            }
            let alias = "o\(n)"
            switch clause.entity {
            case .metric:
                joins.append(
                    " LEFT JOIN latest_metrics \(unsafeSQL: alias) ON \(unsafeSQL: alias).run_seq = r.run_seq AND \(unsafeSQL: alias).key = \(clause.key)")
                // Real values first, then NaN, then runs lacking the key — for ASC and DESC alike.
                parts.append(
                    "CASE WHEN \(alias).run_seq IS NULL THEN 2 WHEN \(alias).is_nan = 1 THEN 1 ELSE 0 END ASC, \(alias).value \(direction)")
            case .param, .tag:
                let table = clause.entity == .param ? "params" : "tags"
                joins.append(
                    " LEFT JOIN \(unsafeSQL: table) \(unsafeSQL: alias) ON \(unsafeSQL: alias).run_uuid = r.run_uuid AND \(unsafeSQL: alias).key = \(clause.key)")
                parts.append("CASE WHEN \(alias).value IS NULL THEN 1 ELSE 0 END ASC, \(alias).value \(direction)")
            case .attribute:
                guard
                    let column = RunFilterCompiler.stringAttributes[clause.key]
                        ?? RunFilterCompiler.numericAttributes[clause.key]
                else {
                    throw StoreError.invalidParameter("Invalid order_by clause '\(text)': unknown attribute '\(clause.key)'")
                }
                usesStartTime = usesStartTime || column == "r.start_time"
                usesRunID = usesRunID || column == "r.run_uuid"
                if column == "r.end_time" {
                    parts.append("CASE WHEN r.end_time IS NULL THEN 1 ELSE 0 END ASC, r.end_time \(direction)")
                } else {
                    parts.append("\(column) \(direction)")
                }
            case .dataset:
                throw StoreError.invalidParameter("Invalid order_by clause '\(text)': cannot order runs by datasets")
            }
        }
        if !usesStartTime { parts.append("r.start_time DESC") }
        if !usesRunID { parts.append("r.run_uuid ASC") }
        return (joins, parts.joined(separator: ", "))
    }
}
