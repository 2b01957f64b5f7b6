import Testing
@testable import Store

@Suite struct RunStoreTests {
    @Test func loggedModelHistory_AppendsToAJSONList() {
        #expect(SQLStore.appending("{\"a\":1}", toJSONList: nil) == "[{\"a\":1}]")
        #expect(SQLStore.appending("{}", toJSONList: "[]") == "[{}]")
        #expect(SQLStore.appending("{}", toJSONList: "[ ]") == "[{}]")
        #expect(SQLStore.appending("{\"b\":2}", toJSONList: "[{\"a\": 1}]") == "[{\"a\": 1},{\"b\":2}]")
        // Not a list (a value cut by an older version): starts over.
        #expect(SQLStore.appending("{}", toJSONList: "[{\"a\": 1}, {\"b\"") == "[{}]")
    }

    @Test(arguments: StoreBackend.all)
    func create_NamesTheRunAndAddsTheRunNameTag(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let named = try store.createRun(RunCreate(experimentID: "", userID: "ana", runName: "baseline", startTime: 42))
        #expect(named.info.experimentID == "0")
        #expect(named.info.runID.count == 32)
        #expect(named.info.status == .running)
        #expect(named.info.artifactURI == "mlflow-artifacts:/0/\(named.info.runID)/artifacts")
        #expect(named.tags.contains(KeyValue(key: "mlflow.runName", value: "baseline")))
        let fetched = try store.getRun(id: named.info.runID)
        #expect(fetched.info == named.info)
        #expect(fetched.tags == named.tags)

        let generated = try store.createRun(RunCreate(startTime: 1))
        #expect(!generated.info.runName.isEmpty && generated.info.runName.count <= 20)
        #expect(try store.getRun(id: generated.info.runID).tags == [KeyValue(key: "mlflow.runName", value: generated.info.runName)])

        #expect(throws: StoreError.self) {
            try store.createRun(RunCreate(runName: "a", startTime: 1, tags: [KeyValue(key: "mlflow.runName", value: "b")]))
        }
        #expect(throws: StoreError.notFound("No Experiment with id=77 exists")) {
            try store.createRun(RunCreate(experimentID: "77", startTime: 1))
        }
    }

    @Test(arguments: StoreBackend.all)
    func updateDeleteRestore(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let run = try store.createRun(RunCreate(startTime: 5))
        let id = run.info.runID
        let info = try store.updateRun(id: id, status: .finished, endTime: 9, runName: "renamed")
        #expect(info.status == .finished && info.endTime == 9 && info.runName == "renamed")
        #expect(try store.getRun(id: id).tags.contains(KeyValue(key: "mlflow.runName", value: "renamed")))
        // Logging to a FINISHED run is allowed (MLFLOW_API.md §8.17).
        try store.logParam(runID: id, key: "lr", value: "0.1")
        // set-tag of mlflow.runName renames the run.
        try store.setTag(runID: id, key: "mlflow.runName", value: "via-tag")
        #expect(try store.getRun(id: id).info.runName == "via-tag")
        try store.deleteRun(id: id)
        #expect(try store.getRun(id: id).info.lifecycleStage == .deleted)
        #expect(throws: StoreError.self) { try store.logParam(runID: id, key: "x", value: "1") }
        #expect(throws: StoreError.self) { try store.updateRun(id: id, status: .failed, endTime: nil, runName: nil) }
        try store.restoreRun(id: id)
        try store.logParam(runID: id, key: "x", value: "1")
        #expect(throws: StoreError.notFound("Run with id=nope not found")) { try store.getRun(id: "nope") }
    }

    @Test(arguments: StoreBackend.all)
    func params_AreImmutableAndTruncated(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        try store.logParam(runID: id, key: "lr", value: "0.1")
        try store.logParam(runID: id, key: "lr", value: "0.1")
        do {
            try store.logParam(runID: id, key: "lr", value: "0.2")
            Issue.record("changing a param must fail")
        } catch let error as StoreError {
            #expect(error.mlflowErrorCode == "INVALID_PARAMETER_VALUE")
        }
        try store.logParam(runID: id, key: "long", value: String(repeating: "p", count: 7000))
        try store.setTag(runID: id, key: "t", value: String(repeating: "t", count: 9000))
        let run = try store.getRun(id: id)
        #expect(run.params.first { $0.key == "long" }?.value.count == 6000)
        #expect(run.tags.first { $0.key == "t" }?.value.count == 8000)
    }

    @Test(arguments: StoreBackend.all)
    func logBatch_IsAllOrNothing(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        try store.logParam(runID: id, key: "fixed", value: "1")
        #expect(throws: StoreError.self) {
            try store.logBatch(
                runID: id, metrics: [Metric(key: "m", value: 1, timestamp: 1)],
                params: [KeyValue(key: "new", value: "x"), KeyValue(key: "fixed", value: "2")],
                tags: [KeyValue(key: "t", value: "v")])
        }
        let run = try store.getRun(id: id)
        #expect(run.metrics.isEmpty)
        #expect(run.params == [KeyValue(key: "fixed", value: "1")])
        #expect(!run.tags.contains { $0.key == "t" })
        // Validation failures: limits, bad keys, duplicate param keys.
        let tooMany = (0..<1001).map { Metric(key: "m", value: Double($0), timestamp: 1, step: Int64($0)) }
        #expect(throws: StoreError.self) { try store.logBatch(runID: id, metrics: tooMany, params: [], tags: []) }
        for bad in ["a//b", "./a", "a/", "a/../b", "/a", "..", "bad!char", String(repeating: "k", count: 251)] {
            #expect(throws: StoreError.self, "key \(bad)") { try store.logMetric(runID: id, Metric(key: bad, value: 1, timestamp: 1)) }
        }
        #expect(throws: StoreError.self) {
            try store.logBatch(runID: id, metrics: [], params: [KeyValue(key: "d", value: "1"), KeyValue(key: "d", value: "1")], tags: [])
        }
        #expect(throws: StoreError.self) { try store.logMetric(runID: id, Metric(key: "m", value: 1, timestamp: -1)) }
        try store.logMetric(runID: id, Metric(key: "ok key/with.all-chars:1", value: 1, timestamp: 1))
    }

    @Test(arguments: StoreBackend.all)
    func metrics_KeepHistoryAndLatestByStepTimestampValue(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        try store.logBatch(
            runID: id,
            metrics: [
                Metric(key: "loss", value: 0.9, timestamp: 100, step: 0),
                Metric(key: "loss", value: 0.5, timestamp: 90, step: 2),  // highest step wins despite older time
                Metric(key: "loss", value: 0.7, timestamp: 200, step: 1),
                Metric(key: "loss", value: 0.7, timestamp: 200, step: 1),  // exact duplicate: de-duplicated
                Metric(key: "acc", value: .nan, timestamp: 5, step: 0),
                Metric(key: "big", value: .infinity, timestamp: 5, step: 0),
            ], params: [], tags: [])
        // A later, lower step does not replace the latest value.
        try store.logMetric(runID: id, Metric(key: "loss", value: 0.1, timestamp: 300, step: 1))
        let run = try store.getRun(id: id)
        let latest = Dictionary(uniqueKeysWithValues: run.metrics.map { ($0.key, $0) })
        #expect(latest["loss"] == Metric(key: "loss", value: 0.5, timestamp: 90, step: 2))
        #expect(latest["acc"]?.value.isNaN == true)
        #expect(latest["big"]?.value == Double.greatestFiniteMagnitude)

        let history = try store.getMetricHistory(runID: id, key: "loss", maxResults: nil, pageToken: nil)
        #expect(history.items.map(\.value) == [0.5, 0.9, 0.7, 0.1])
        #expect(history.nextPageToken == nil)
        let first = try store.getMetricHistory(runID: id, key: "loss", maxResults: 3, pageToken: nil)
        #expect(first.items.count == 3)
        let second = try store.getMetricHistory(runID: id, key: "loss", maxResults: 3, pageToken: first.nextPageToken)
        #expect(second.items.map(\.value) == [0.1])
        #expect(second.nextPageToken == nil)
        #expect(throws: StoreError.self) { try store.getMetricHistory(runID: "missing", key: "loss", maxResults: nil, pageToken: nil) }
    }

    @Test(arguments: StoreBackend.all)
    func inputsAndOutputs_AreIdempotent(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        let input = DatasetInput(
            dataset: Dataset(name: "train", digest: "abc", sourceType: "local", source: "{\"uri\":\"x\"}", schema: "{}"),
            tags: [KeyValue(key: "mlflow.data.context", value: "training")])
        try store.logInputs(runID: id, datasets: [input], modelIDs: ["m-1"])
        try store.logInputs(runID: id, datasets: [input], modelIDs: ["m-1"])
        try store.logOutputs(runID: id, models: [ModelOutput(modelID: "m-2", step: 3)])
        try store.logOutputs(runID: id, models: [ModelOutput(modelID: "m-2", step: 3)])
        let run = try store.getRun(id: id)
        #expect(run.datasetInputs == [input])
        #expect(run.modelInputs == ["m-1"])
        #expect(run.modelOutputs == [ModelOutput(modelID: "m-2", step: 3)])
    }

    @Test(arguments: StoreBackend.all)
    func deleteTag(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        try store.setTag(runID: id, key: "t", value: "")
        #expect(try store.getRun(id: id).tags.contains(KeyValue(key: "t", value: "")))
        try store.deleteRunTag(runID: id, key: "t")
        #expect(throws: StoreError.self) { try store.deleteRunTag(runID: id, key: "t") }
    }
}
