import Testing
@testable import Store

@Suite struct FilterParserTests {
    @Test func parsesEntitiesQuotingAndOperators() throws {
        let parsed = try FilterParser.parse(
            "metrics.`my metric` >= -1.5e2 and params.\"a b\" LIKE 'x%' AND tags.mlflow.runName IS NOT NULL "
                + "and run_id NOT IN ('a', \"b\") AND attr.status != 'FAILED'")
        #expect(parsed.comparisons.map(\.entity) == [.metric, .param, .tag, .attribute, .attribute])
        #expect(parsed.comparisons.map(\.key) == ["my metric", "a b", "mlflow.runName", "run_id", "status"])
        #expect(parsed.comparisons.map(\.op) == [.greaterOrEqual, .like, .isNotNull, .notIn, .notEqual])
        #expect(parsed.comparisons[0].value == .number(-150, spelling: "-1.5e2"))
        #expect(parsed.comparisons[3].value == .list(["a", "b"]))
    }

    /// Equalities first, then ranges and patterns, then negations; ties keep the filter's order. Metric, param and
    /// tag comparisons become joins (all but IS NULL), attributes WHERE conditions.
    @Test func compiledFilter_JoinsAndConditionsAreOrderedBySelectivity() throws {
        let filter = "tags.t != 'x' AND metrics.acc > 0.2 AND params.model = 'm3' AND attributes.status = 'FINISHED' "
            + "AND params.opt LIKE 'ad%' AND tags.gone IS NULL"
        let compiled = try RunFilterCompiler(dialect: .sqlite).compile(FilterParser.parse(filter))
        let joins = compiled.joins.map { $0.render(.sqlite) }
        let kinds = joins.map { text, _ in
            ["JOIN params f0 ON f0.run_uuid = r.run_uuid AND f0.key = ? AND f0.value = ?", "JOIN latest_metrics f2",
             "JOIN params f3 ON f3.run_uuid = r.run_uuid AND f3.key = ? AND f3.value LIKE ?",
             "JOIN tags f4 ON f4.run_uuid = r.run_uuid AND f4.key = ? AND f4.value <> ?"].firstIndex { text.contains($0) }
        }
        #expect(kinds == [0, 1, 2, 3])
        // Each join keeps its own binds: key and value.
        #expect(joins.map { $0.1.count } == [2, 2, 2, 2])
        let conditions = compiled.conditions.map { $0.render(.sqlite).text }
        #expect(conditions.count == 2)
        #expect(conditions.first?.hasPrefix("r.status = ?") == true)
        #expect(conditions.last?.hasPrefix("NOT EXISTS (SELECT 1 FROM tags") == true)
    }

    @Test func compiledFilter_TurnsLookupsPastTheJoinLimitIntoExists() throws {
        let filter = (0..<(RunFilterCompiler.maxJoins + 3)).map { "params.p\($0) = 'v'" }.joined(separator: " AND ")
        let compiled = try RunFilterCompiler(dialect: .sqlite).compile(FilterParser.parse(filter))
        #expect(compiled.joins.count == RunFilterCompiler.maxJoins)
        let conditions = compiled.conditions.map { $0.render(.sqlite) }
        #expect(conditions.count == 3)
        #expect(conditions.allSatisfy { $0.text.hasPrefix("EXISTS (SELECT 1 FROM params f") && $0.binds.count == 2 })
        // The order_by joins leave less room.
        let crowded = try RunFilterCompiler(dialect: .sqlite)
            .compile(FilterParser.parse(filter), otherTables: RunFilterCompiler.maxTablesInAJoin - 10)
        #expect(crowded.joins.count == 10)
        #expect(crowded.conditions.count == RunFilterCompiler.maxJoins + 3 - 10)
    }

    @Test func filtersLongerThanTheLimit_AreInvalid() throws {
        let comparisons = { (n: Int) in (0..<n).map { "metrics.m\($0) > 0" }.joined(separator: " AND ") }
        #expect(try FilterParser.parse(comparisons(FilterParser.maxComparisons)).comparisons.count == FilterParser.maxComparisons)
        #expect {
            try FilterParser.parse(comparisons(FilterParser.maxComparisons + 1))
        } throws: { error in
            guard case StoreError.invalidParameter(let message) = error else { return false }
            return message.contains("at most \(FilterParser.maxComparisons)")
        }
    }

    @Test func emptyFilter_MatchesEverything() throws {
        #expect(try FilterParser.parse("").comparisons.isEmpty)
        #expect(try FilterParser.parse("   ").comparisons.isEmpty)
    }

    @Test func errorsNameTheOffendingToken() {
        for (filter, token) in [("a = 1 OR b = 2", "'OR'"), ("a = 1 AND", "end of filter"), ("a == 1", "'=='"),
                                ("metrics.x > 'unterminated", "unterminated"), ("a = 1; drop", "';'")] {
            do {
                _ = try FilterParser.parse(filter)
                Issue.record("\(filter) should not parse")
            } catch {
                #expect("\(error)".contains(token), "\(error) should mention \(token)")
            }
        }
    }

    @Test func orderByClauses() throws {
        #expect(try OrderByClause.parse("metrics.acc DESC") == OrderByClause(entity: .metric, key: "acc", ascending: false))
        #expect(try OrderByClause.parse("params.`lr` ASC") == OrderByClause(entity: .param, key: "lr", ascending: true))
        #expect(try OrderByClause.parse("start_time") == OrderByClause(entity: .attribute, key: "start_time", ascending: true))
        #expect(throws: StoreError.self) { try OrderByClause.parse("start_time sideways") }
    }

    @Test func pageTokens_RoundTripAndRejectGarbage() throws {
        #expect(PageToken.encode(offset: 1000) == "eyJvZmZzZXQiOiAxMDAwfQ==")
        #expect(try PageToken.decode("eyJvZmZzZXQiOiAxMDAwfQ==") == 1000)
        #expect(try PageToken.decode(nil) == 0)
        #expect(try PageToken.decode("") == 0)
        #expect(throws: StoreError.self) { try PageToken.decode("not base64 !!") }
    }

    @Test func sqlRendersPlaceholdersPerDialect() {
        let sql: SQL = "SELECT 1 WHERE a = \(Int64(1)) AND b = \("x") AND c = \(Optional<String>.none)"
        #expect(sql.render(.sqlite).text == "SELECT 1 WHERE a = ? AND b = ? AND c = ?")
        #expect(sql.render(.postgres).text == "SELECT 1 WHERE a = $1 AND b = $2 AND c = $3")
        #expect(sql.render(.sqlite).binds == [.integer(1), .text("x"), .null])
    }
}
