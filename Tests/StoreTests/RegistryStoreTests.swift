import Testing
@testable import Store

@Suite struct RegistryStoreTests {
    @Test(arguments: StoreBackend.all)
    func registeredModels_CreateRenameTagDelete(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let model = try store.createRegisteredModel(name: "bert", tags: [KeyValue(key: "team", value: "nlp")], description: "d", userID: "ana")
        #expect(model.name == "bert" && model.description == "d" && model.tags == [KeyValue(key: "team", value: "nlp")])
        #expect(throws: StoreError.alreadyExists("Registered Model (name=bert) already exists.")) {
            try store.createRegisteredModel(name: "bert", tags: [], description: nil, userID: nil)
        }
        #expect(throws: StoreError.self) { try store.createRegisteredModel(name: "a/b", tags: [], description: nil, userID: nil) }
        _ = try store.createModelVersion(ModelVersionCreate(name: "bert", source: "s3://x", tags: [KeyValue(key: "k", value: "v")]))
        try store.setRegisteredModelAlias(name: "bert", alias: "champion", version: "1")
        let renamed = try store.renameRegisteredModel(name: "bert", newName: "bert2")
        #expect(renamed.aliases == [ModelAlias(alias: "champion", version: "1")])
        #expect(try store.getModelVersion(name: "bert2", version: "1").tags == [KeyValue(key: "k", value: "v")])
        #expect(throws: StoreError.self) { try store.getRegisteredModel(name: "bert") }
        #expect(try store.updateRegisteredModel(name: "bert2", description: "new").description == "new")
        try store.setRegisteredModelTag(name: "bert2", key: "team", value: "vision")
        try store.deleteRegisteredModelTag(name: "bert2", key: "team")
        #expect(try store.getRegisteredModel(name: "bert2").tags.isEmpty)
        try store.deleteRegisteredModel(name: "bert2")
        do {
            _ = try store.getRegisteredModel(name: "bert2")
            Issue.record("deleted model still found")
        } catch let error as StoreError {
            #expect(error.mlflowErrorCode == "RESOURCE_DOES_NOT_EXIST")
        }
    }

    @Test(arguments: StoreBackend.all)
    func versions_NumberStagesAliasesAndLoggedModelSources(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        _ = try store.createRegisteredModel(name: "m", tags: [], description: nil, userID: nil)
        let run = try store.createRun(RunCreate(startTime: 1))
        let logged = try store.createLoggedModel(LoggedModelCreate(experimentID: "0", name: "model", sourceRunID: run.info.runID))
        let v1 = try store.createModelVersion(ModelVersionCreate(name: "m", source: "models:/\(logged.modelID)", modelID: logged.modelID))
        #expect(v1.version == "1" && v1.status == "READY" && v1.currentStage == ModelStage.none)
        #expect(v1.storageLocation == logged.artifactURI)
        #expect(v1.runID == run.info.runID)
        #expect(try store.getModelVersionDownloadURI(name: "m", version: "1") == logged.artifactURI)
        #expect(try store.getLoggedModel(id: logged.modelID, allowDeleted: false).tags
            == [KeyValue(key: "mlflow.modelVersions", value: #"[{"name":"m","version":"1"}]"#)])
        let v2 = try store.createModelVersion(ModelVersionCreate(name: "m", source: "s3://b/2", runID: "r"))
        #expect(v2.version == "2" && v2.storageLocation == "s3://b/2")

        _ = try store.transitionModelVersionStage(name: "m", version: "1", stage: "production", archiveExisting: false)
        let promoted = try store.transitionModelVersionStage(name: "m", version: "2", stage: "Production", archiveExisting: true)
        #expect(promoted.currentStage == .production)
        #expect(try store.getModelVersion(name: "m", version: "1").currentStage == .archived)
        #expect(throws: StoreError.self) {
            try store.transitionModelVersionStage(name: "m", version: "1", stage: "Archived", archiveExisting: true)
        }
        #expect(throws: StoreError.self) { try store.transitionModelVersionStage(name: "m", version: "1", stage: "bogus", archiveExisting: false) }
        #expect(try store.getLatestVersions(name: "m", stages: ["Production"]).map(\.version) == ["2"])
        #expect(try store.getLatestVersions(name: "m", stages: []).map(\.version) == ["1", "2"])

        try store.setRegisteredModelAlias(name: "m", alias: "champion", version: "2")
        #expect(try store.getModelVersionByAlias(name: "m", alias: "champion").version == "2")
        #expect(try store.getModelVersion(name: "m", version: "2").aliases == ["champion"])
        for reserved in ["latest", "v3", "bad alias"] {
            #expect(throws: StoreError.self) { try store.setRegisteredModelAlias(name: "m", alias: reserved, version: "1") }
        }
        try store.deleteModelVersion(name: "m", version: "2")
        #expect(throws: StoreError.self) { try store.getModelVersionByAlias(name: "m", alias: "champion") }
        #expect(try store.createModelVersion(ModelVersionCreate(name: "m", source: "x")).version == "2")
        try store.setModelVersionTag(name: "m", version: "1", key: "t", value: "1")
        try store.deleteModelVersionTag(name: "m", version: "1", key: "t")
        #expect(throws: StoreError.self) { try store.deleteModelVersionTag(name: "m", version: "1", key: "t") }
        #expect(throws: StoreError.self) { try store.getModelVersion(name: "m", version: "abc") }
    }

    @Test(arguments: StoreBackend.all)
    func search_FiltersHidesPromptsAndPages(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        for name in ["alpha", "beta", "gamma"] {
            _ = try store.createRegisteredModel(name: name, tags: [], description: nil, userID: nil)
            _ = try store.createModelVersion(ModelVersionCreate(name: name, source: "s3://\(name)", runID: "run-\(name)"))
        }
        _ = try store.createRegisteredModel(
            name: "prompt", tags: [KeyValue(key: "mlflow.prompt.is_prompt", value: "true")], description: nil, userID: nil)
        #expect(try store.searchRegisteredModels(RegistrySearch()).items.map(\.name) == ["alpha", "beta", "gamma"])
        #expect(try store.searchRegisteredModels(RegistrySearch(filter: "name LIKE '%a'", orderBy: ["name DESC"])).items.map(\.name)
            == ["gamma", "beta", "alpha"])
        #expect(try store.searchRegisteredModels(RegistrySearch(filter: "tags.`mlflow.prompt.is_prompt` = 'true'")).items.map(\.name) == ["prompt"])
        let page = try store.searchRegisteredModels(RegistrySearch(maxResults: 2))
        #expect(page.items.count == 2)
        #expect(try store.searchRegisteredModels(RegistrySearch(maxResults: 2, pageToken: page.nextPageToken)).items.map(\.name) == ["gamma"])
        #expect(try store.searchModelVersions(RegistrySearch(filter: "run_id IN ('run-alpha', 'run-beta')", orderBy: ["name"])).items.map(\.name)
            == ["alpha", "beta"])
        #expect(try store.searchModelVersions(RegistrySearch(filter: "name = 'gamma' AND version_number = 1")).items.count == 1)
        #expect(throws: StoreError.self) { try store.searchRegisteredModels(RegistrySearch(orderBy: ["creation_timestamp"])) }
        #expect(throws: StoreError.self) { try store.searchModelVersions(RegistrySearch(filter: "metrics.x > 1")) }
    }
}

@Suite struct LoggedModelStoreTests {
    @Test(arguments: StoreBackend.all)
    func lifecycleTagsParamsMetricsAndSearch(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let run = try store.createRun(RunCreate(startTime: 1))
        let model = try store.createLoggedModel(
            LoggedModelCreate(experimentID: "0", name: "model", modelType: "sklearn", sourceRunID: run.info.runID,
                              params: [KeyValue(key: "alpha", value: "0.5")], tags: [KeyValue(key: "mlflow.user", value: "ana")]))
        #expect(model.modelID.hasPrefix("m-") && model.modelID.count == 34)
        #expect(model.status == .pending)
        #expect(model.artifactURI == "mlflow-artifacts:/0/models/\(model.modelID)/artifacts")
        #expect(try store.finalizeLoggedModel(id: model.modelID, status: .ready).status == .ready)
        try store.setLoggedModelTags(id: model.modelID, tags: [KeyValue(key: "mlflow.model.isExternal", value: "true")])
        try store.deleteLoggedModelTag(id: model.modelID, key: "mlflow.model.isExternal")
        try store.logLoggedModelParams(id: model.modelID, params: [KeyValue(key: "beta", value: "1")])
        try store.logMetric(runID: run.info.runID, Metric(key: "acc", value: 0.9, timestamp: 5, step: 0, modelID: model.modelID))
        let loaded = try store.getLoggedModel(id: model.modelID, allowDeleted: false)
        #expect(loaded.params.map(\.key) == ["alpha", "beta"])
        #expect(loaded.tags == [KeyValue(key: "mlflow.user", value: "ana")])
        #expect(loaded.metrics.map(\.metric.value) == [0.9] && loaded.metrics.first?.runID == run.info.runID)

        let other = try store.createLoggedModel(LoggedModelCreate(experimentID: "0", name: "other"))
        #expect(try store.searchLoggedModels(LoggedModelSearch(experimentIDs: ["0"], filter: "name = 'model'")).items.map(\.modelID) == [model.modelID])
        #expect(try store.searchLoggedModels(LoggedModelSearch(experimentIDs: ["0"], filter: "params.alpha = '0.5' AND metrics.acc > 0.5")).items.count == 1)
        let ordered = try store.searchLoggedModels(LoggedModelSearch(experimentIDs: ["0"], orderBy: [LoggedModelOrder(fieldName: "name")]))
        #expect(ordered.items.map(\.name) == ["model", "other"])
        try store.deleteLoggedModel(id: other.modelID)
        #expect(throws: StoreError.self) { try store.getLoggedModel(id: other.modelID, allowDeleted: false) }
        #expect(try store.getLoggedModel(id: other.modelID, allowDeleted: true).lifecycleStage == .deleted)
        #expect(try store.searchLoggedModels(LoggedModelSearch(experimentIDs: ["0"])).items.count == 1)
        #expect(throws: StoreError.self) { try store.createLoggedModel(LoggedModelCreate(experimentID: "42")) }
    }

    /// Ordered as MLflow's SQL store orders: by each model's latest value of the metric (latest timestamp, then
    /// step), NaN and missing values last, optionally for one dataset only.
    @Test(arguments: StoreBackend.all)
    func searchOrdersByTheLatestMetricValue(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let run = try store.createRun(RunCreate(startTime: 1))
        var ids: [String] = []
        for name in ["a", "b", "c", "d", "e"] {
            ids.append(try store.createLoggedModel(LoggedModelCreate(experimentID: "0", name: name)).modelID)
        }
        func log(_ model: Int, _ value: Double, at timestamp: Int64, dataset: String? = nil) throws {
            try store.logMetric(runID: run.info.runID, Metric(
                key: "acc", value: value, timestamp: timestamp, modelID: ids[model], datasetName: dataset,
                datasetDigest: dataset.map { _ in "d1" }))
        }
        try log(0, 0.9, at: 1)
        try log(0, 0.2, at: 2)  // a's latest value is 0.2
        try log(1, 0.5, at: 1)
        try log(2, .nan, at: 1)
        try log(3, 0.7, at: 1, dataset: "eval")
        // e has no acc at all.
        func order(_ ascending: Bool, dataset: String? = nil) throws -> [String] {
            try store.searchLoggedModels(LoggedModelSearch(
                experimentIDs: ["0"], orderBy: [LoggedModelOrder(fieldName: "metrics.acc", ascending: ascending, datasetName: dataset)])
            ).items.map(\.name)
        }
        let descending = try order(false)
        #expect(Array(descending.prefix(3)) == ["d", "b", "a"])
        // NaN (c) and no value (e) come last either way; between them, newest first.
        #expect(Set(descending.suffix(2)) == ["c", "e"])
        #expect(Array(try order(true).prefix(3)) == ["a", "b", "d"])
        #expect(try order(false, dataset: "eval").first == "d")
        #expect(try order(true, dataset: "eval").first == "d")
        #expect(throws: StoreError.self) {
            try store.searchLoggedModels(LoggedModelSearch(experimentIDs: ["0"], orderBy: [LoggedModelOrder(fieldName: "params.x")]))
        }
    }

    /// `datasets` narrows metric comparisons to those datasets, and without any, keeps models with a metric on one.
    @Test(arguments: StoreBackend.all)
    func searchNarrowsMetricsToTheGivenDatasets(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let run = try store.createRun(RunCreate(startTime: 1))
        let a = try store.createLoggedModel(LoggedModelCreate(experimentID: "0", name: "a")).modelID
        let b = try store.createLoggedModel(LoggedModelCreate(experimentID: "0", name: "b")).modelID
        _ = try store.createLoggedModel(LoggedModelCreate(experimentID: "0", name: "c"))
        try store.logMetric(runID: run.info.runID, Metric(key: "acc", value: 0.9, timestamp: 1, modelID: a, datasetName: "eval", datasetDigest: "e1"))
        try store.logMetric(runID: run.info.runID, Metric(key: "acc", value: 0.9, timestamp: 1, modelID: b, datasetName: "train", datasetDigest: "t1"))
        func names(_ filter: String, _ datasets: [LoggedModelDataset]) throws -> Set<String> {
            Set(try store.searchLoggedModels(LoggedModelSearch(experimentIDs: ["0"], filter: filter, datasets: datasets)).items.map(\.name))
        }
        #expect(try names("metrics.acc > 0.5", []) == ["a", "b"])
        #expect(try names("metrics.acc > 0.5", [LoggedModelDataset(name: "eval")]) == ["a"])
        #expect(try names("metrics.acc > 0.95", [LoggedModelDataset(name: "eval")]).isEmpty)
        #expect(try names("", [LoggedModelDataset(name: "eval")]) == ["a"])
        #expect(try names("", [LoggedModelDataset(name: "train"), LoggedModelDataset(name: "eval", digest: "e1")]) == ["a", "b"])
        #expect(try names("", [LoggedModelDataset(name: "eval", digest: "other")]).isEmpty)
        #expect(try names("", []) == ["a", "b", "c"])
    }
}
