import Testing
@testable import Store

@Suite struct RunSearchTests {
    /// Five runs in experiment 1 with metrics, params and tags chosen to separate the filters.
    private func seeded(_ backend: StoreBackend) throws -> (SQLStore, [String]) {
        let store = try backend.makeStore()
        let experiment = try store.createExperiment(name: "search", artifactLocation: nil, tags: [])
        var ids: [String] = []
        for i in 0..<5 {
            let run = try store.createRun(
                RunCreate(experimentID: experiment, userID: i < 2 ? "ana" : "bo", runName: "run-\(i)", startTime: Int64(100 + i)))
            ids.append(run.info.runID)
            var metrics = [Metric(key: "acc", value: Double(i) / 10, timestamp: 1)]
            if i == 4 { metrics = [Metric(key: "acc", value: .nan, timestamp: 1)] }
            if i == 3 { metrics = [] }
            try store.logBatch(
                runID: run.info.runID, metrics: metrics,
                params: [KeyValue(key: "model", value: i % 2 == 0 ? "Bert" : "gpt")],
                tags: i == 0 ? [KeyValue(key: "mlflow.parentRunId", value: "p1")] : [])
        }
        return (store, ids)
    }

    @Test(arguments: StoreBackend.all)
    func filters(backend: StoreBackend) throws {
        let (store, ids) = try seeded(backend)
        defer { store.close() }
        func search(_ filter: String) throws -> Set<String> {
            Set(try store.searchRuns(RunSearch(experimentIDs: ["1"], filter: filter)).items.map(\.info.runID))
        }
        #expect(try search("") == Set(ids))
        #expect(try search("metrics.acc > 0.15") == [ids[2]])
        #expect(try search("metrics.acc >= 0.1 and metrics.acc < 0.25") == [ids[1], ids[2]])
        // NaN satisfies only != (MLFLOW_API.md §4.1); a run lacking the key never matches.
        #expect(try search("metrics.acc != 0.1") == [ids[0], ids[2], ids[4]])
        #expect(try search("params.model = 'Bert'") == [ids[0], ids[2], ids[4]])
        #expect(try search("params.model LIKE 'b%'") == [])
        #expect(try search("params.model ILIKE 'b%'") == [ids[0], ids[2], ids[4]])
        #expect(try search("tags.`mlflow.parentRunId` = 'p1'") == [ids[0]])
        #expect(try search("tags.mlflow.parentRunId IS NULL").count == 4)
        #expect(try search("attributes.user_id = 'ana'") == [ids[0], ids[1]])
        #expect(try search("run_name = 'run-3'") == [ids[3]])
        #expect(try search("`Run name` = 'run-3'") == [ids[3]])
        #expect(try search("attributes.start_time >= 103") == [ids[3], ids[4]])
        #expect(try search("run_id IN ('\(ids[1])', '\(ids[2])')") == [ids[1], ids[2]])
        #expect(try search("status = 'RUNNING' AND params.model != 'gpt'") == [ids[0], ids[2], ids[4]])
        // Joined comparisons (metrics, params, tags) beside a NOT EXISTS one, and two on one key; every run once.
        func searchList(_ filter: String) throws -> [String] {
            try store.searchRuns(RunSearch(experimentIDs: ["1"], filter: filter)).items.map(\.info.runID).sorted()
        }
        #expect(try searchList("metrics.acc >= 0 AND params.model = 'Bert' AND tags.mlflow.parentRunId IS NULL") == [ids[2]])
        #expect(try searchList("params.model IS NOT NULL AND tags.mlflow.parentRunId IS NOT NULL") == [ids[0]])
        #expect(try searchList("params.model != 'x' AND params.model != 'gpt' AND metrics.acc < 1") == [ids[0], ids[2]].sorted())
        #expect(try searchList("metrics.acc >= 0 AND metrics.acc >= 0 AND params.model = 'Bert'") == [ids[0], ids[2]].sorted())
        // More comparisons than SQLite joins tables: the ones past `maxJoins` are EXISTS conditions.
        let many = Array(repeating: "params.model = 'Bert'", count: 70).joined(separator: " AND ")
        #expect(try searchList(many + " AND metrics.acc > 0.1") == [ids[2]])
        let crowded = try store.searchRuns(RunSearch(
            experimentIDs: ["1"], filter: many,
            orderBy: (1..<SQLStore.maxOrderByClauses).map { "params.p\($0) DESC" } + ["metrics.acc DESC"]))
        // acc DESC: real values, then NaN.
        #expect(crowded.items.map(\.info.runID) == [ids[2], ids[0], ids[4]])
        // The longest filters accepted run in the database on both backends.
        let longest = (0..<FilterParser.maxComparisons).map { "metrics.m\($0) > 0" }.joined(separator: " AND ")
        #expect(try searchList(longest).isEmpty)
        let longestAttributes = Array(repeating: "attributes.status = 'RUNNING'", count: FilterParser.maxComparisons)
        #expect(try searchList(longestAttributes.joined(separator: " AND ")).count == 5)
        // One clause more is refused, not run: enough metric clauses crash SQLite 3.40.1 (see maxOrderByClauses).
        let tooMany = (0...SQLStore.maxOrderByClauses).map { "metrics.m\($0) DESC" }
        #expect {
            try store.searchRuns(RunSearch(experimentIDs: ["1"], orderBy: tooMany))
        } throws: { error in
            guard case StoreError.invalidParameter(let message) = error else { return false }
            return message.contains("at most \(SQLStore.maxOrderByClauses)")
        }
        // A filter join and an order_by join on the same metric key.
        let ordered = try store.searchRuns(
            RunSearch(experimentIDs: ["1"], filter: "metrics.acc > 0.05", orderBy: ["metrics.acc DESC"]))
        #expect(ordered.items.map(\.info.runID) == [ids[2], ids[1]])
    }

    @Test(arguments: StoreBackend.all)
    func badFilters_AreInvalidParameterNamingTheToken(backend: StoreBackend) throws {
        let (store, _) = try seeded(backend)
        defer { store.close() }
        for (filter, token) in [
            ("metrics.acc > 1 OR metrics.acc < 0", "OR"), ("metrics.acc = 'x'", "metrics.acc"),
            ("params.model > 'a'", "params.model"), ("user_id IN ('a')", "user_id"), ("foo.bar = 1", "foo"),
            ("metrics.acc >", "end"), ("(metrics.acc > 1)", "("), ("metrics.acc ~ 1", "~"),
        ] {
            do {
                _ = try store.searchRuns(RunSearch(experimentIDs: ["1"], filter: filter))
                Issue.record("filter \(filter) should fail")
            } catch let error as StoreError {
                #expect(error.mlflowErrorCode == "INVALID_PARAMETER_VALUE")
                #expect(error.description.contains(token), "\(error) should name \(token)")
            }
        }
    }

    @Test(arguments: StoreBackend.all)
    func orderBy_PutsNaNThenMissingLast(backend: StoreBackend) throws {
        let (store, ids) = try seeded(backend)
        defer { store.close() }
        let desc = try store.searchRuns(RunSearch(experimentIDs: ["1"], orderBy: ["metrics.acc DESC"]))
        #expect(desc.items.map(\.info.runID) == [ids[2], ids[1], ids[0], ids[4], ids[3]])
        let asc = try store.searchRuns(RunSearch(experimentIDs: ["1"], orderBy: ["metrics.acc"]))
        #expect(asc.items.map(\.info.runID) == [ids[0], ids[1], ids[2], ids[4], ids[3]])
        let byDefault = try store.searchRuns(RunSearch(experimentIDs: ["1"]))
        #expect(byDefault.items.map(\.info.runID) == ids.reversed())
        let byParam = try store.searchRuns(RunSearch(experimentIDs: ["1"], orderBy: ["params.`model` DESC", "start_time ASC"]))
        #expect(byParam.items.map(\.info.runID) == [ids[1], ids[3], ids[0], ids[2], ids[4]])
        #expect(throws: StoreError.self) { try store.searchRuns(RunSearch(experimentIDs: ["1"], orderBy: ["metrics.acc", "metrics.acc DESC"])) }
        #expect(throws: StoreError.self) { try store.searchRuns(RunSearch(experimentIDs: ["1"], orderBy: ["nope"])) }
    }

    @Test(arguments: StoreBackend.all)
    func pagesAndViewTypes(backend: StoreBackend) throws {
        let (store, ids) = try seeded(backend)
        defer { store.close() }
        var seen: [String] = []
        var token: String?
        repeat {
            let page = try store.searchRuns(RunSearch(experimentIDs: ["1"], maxResults: 2, orderBy: ["start_time"], pageToken: token))
            seen += page.items.map(\.info.runID)
            token = page.nextPageToken
        } while token != nil
        #expect(seen == ids)
        try store.deleteRun(id: ids[0])
        #expect(try store.searchRuns(RunSearch(experimentIDs: ["1"])).items.count == 4)
        #expect(try store.searchRuns(RunSearch(experimentIDs: ["1"], viewType: .deletedOnly)).items.map(\.info.runID) == [ids[0]])
        #expect(try store.searchRuns(RunSearch(experimentIDs: ["1"], viewType: .all)).items.count == 5)
        #expect(try store.searchRuns(RunSearch(experimentIDs: [])).items.isEmpty)
        #expect(throws: StoreError.self) { try store.searchRuns(RunSearch(experimentIDs: ["1"], maxResults: 50001)) }
        let full = try store.searchRuns(RunSearch(experimentIDs: ["1"], filter: "run_name = 'run-2'")).items[0]
        #expect(full.params == [KeyValue(key: "model", value: "Bert")])
        #expect(full.metrics.map(\.key) == ["acc"])
    }

    /// Several runs loaded together each get their own metrics, params and tags, in key order, whatever order they
    /// were logged in.
    @Test(arguments: StoreBackend.all)
    func loadedRuns_KeepEachRunsKeysInOrder(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let experiment = try store.createExperiment(name: "keys", artifactLocation: nil, tags: [])
        let keys = ["zeta", "alpha", "mid", "Beta", "alpha2"]
        var expected: [String: [String]] = [:]
        for i in 0..<4 {
            let id = try store.createRun(RunCreate(experimentID: experiment, runName: "r\(i)", startTime: Int64(i))).info.runID
            let mine = keys.map { "\($0)\(i)" }.reversed()
            try store.logBatch(
                runID: id, metrics: mine.map { Metric(key: $0, value: Double(i), timestamp: 1) },
                params: mine.map { KeyValue(key: $0, value: "p\(i)") }, tags: mine.map { KeyValue(key: $0, value: "t\(i)") })
            expected[id] = mine.sorted()
        }
        let runs = try store.searchRuns(RunSearch(experimentIDs: [experiment])).items
        #expect(runs.count == 4)
        for run in runs {
            let want = try #require(expected[run.info.runID])
            #expect(run.metrics.map(\.key) == want)
            #expect(run.metrics.allSatisfy { $0.value == Double(run.info.startTime) })
            #expect(run.params.map(\.key) == want)
            #expect(run.params.allSatisfy { $0.value == "p\(run.info.startTime)" })
            #expect(run.tags.filter { $0.key != "mlflow.runName" }.map(\.key) == want)
        }
    }
}
