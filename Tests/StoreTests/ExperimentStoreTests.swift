import Testing
@testable import Store

@Suite struct ExperimentStoreTests {
    @Test(arguments: StoreBackend.all)
    func defaultExperiment_ExistsAfterFirstMigration(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let experiment = try store.getExperiment(id: "0")
        #expect(experiment.name == "Default")
        #expect(experiment.lifecycleStage == .active)
        #expect(try store.getExperiment(name: "Default").experimentID == "0")
    }

    @Test(arguments: StoreBackend.all)
    func create_AssignsSequentialIDsAndArtifactLocation(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let first = try store.createExperiment(name: "a", artifactLocation: nil, tags: [KeyValue(key: "k", value: "v")])
        let second = try store.createExperiment(name: "b", artifactLocation: "s3://bucket/x", tags: [])
        #expect(first == "1")
        #expect(second == "2")
        let a = try store.getExperiment(id: first)
        #expect(a.artifactLocation == "mlflow-artifacts:/1")
        #expect(a.tags == [KeyValue(key: "k", value: "v")])
        #expect(try store.getExperiment(id: second).artifactLocation == "s3://bucket/x")
    }

    @Test(arguments: StoreBackend.all)
    func names_AreUniqueAcrossDeletedExperiments(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createExperiment(name: "dup", artifactLocation: nil, tags: [])
        try store.deleteExperiment(id: id)
        #expect(throws: StoreError.alreadyExists("Experiment(name=dup) already exists.")) {
            try store.createExperiment(name: "dup", artifactLocation: nil, tags: [])
        }
        #expect(throws: StoreError.self) { try store.createExperiment(name: "", artifactLocation: nil, tags: []) }
    }

    @Test(arguments: StoreBackend.all)
    func unknownOrMalformedIDs_MapToNotFoundAndInvalidParameter(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        do {
            _ = try store.getExperiment(id: "999")
            Issue.record("expected notFound")
        } catch let error as StoreError {
            #expect(error.mlflowErrorCode == "RESOURCE_DOES_NOT_EXIST")
        }
        do {
            _ = try store.getExperiment(id: "abc")
            Issue.record("expected invalidParameter")
        } catch let error as StoreError {
            #expect(error.mlflowErrorCode == "INVALID_PARAMETER_VALUE")
        }
        #expect(throws: StoreError.self) { try store.getExperiment(name: "nope") }
    }

    @Test(arguments: StoreBackend.all)
    func deleteAndRestore_MoveRunsAlong(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createExperiment(name: "e", artifactLocation: nil, tags: [])
        let run = try store.createRun(RunCreate(experimentID: id, startTime: 1))
        try store.deleteExperiment(id: id)
        #expect(try store.getExperiment(id: id).lifecycleStage == .deleted)
        #expect(try store.getRun(id: run.info.runID).info.lifecycleStage == .deleted)
        // Deleting twice: the lookup is filtered by stage, so it is not found (MLFLOW_API.md §2.1).
        #expect(throws: StoreError.self) { try store.deleteExperiment(id: id) }
        #expect(throws: StoreError.self) { try store.createRun(RunCreate(experimentID: id, startTime: 1)) }
        #expect(throws: StoreError.invalidState("Cannot rename a non-active experiment (id=\(id))")) {
            try store.renameExperiment(id: id, newName: "x")
        }
        try store.restoreExperiment(id: id)
        #expect(try store.getRun(id: run.info.runID).info.lifecycleStage == .active)
        #expect(throws: StoreError.self) { try store.restoreExperiment(id: id) }
    }

    @Test(arguments: StoreBackend.all)
    func renameAndTags(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createExperiment(name: "old", artifactLocation: nil, tags: [])
        _ = try store.createExperiment(name: "taken", artifactLocation: nil, tags: [])
        try store.renameExperiment(id: id, newName: "new")
        #expect(try store.getExperiment(id: id).name == "new")
        #expect(throws: StoreError.alreadyExists("Experiment(name=taken) already exists.")) {
            try store.renameExperiment(id: id, newName: "taken")
        }
        try store.setExperimentTag(id: id, key: "mlflow.note.content", value: "hello")
        try store.setExperimentTag(id: id, key: "mlflow.note.content", value: "again")
        #expect(try store.getExperiment(id: id).tags == [KeyValue(key: "mlflow.note.content", value: "again")])
        try store.deleteExperimentTag(id: id, key: "mlflow.note.content")
        #expect(throws: StoreError.self) { try store.deleteExperimentTag(id: id, key: "mlflow.note.content") }
        #expect(throws: StoreError.self) {
            try store.setExperimentTag(id: id, key: "k", value: String(repeating: "x", count: 20001))
        }
    }

    @Test(arguments: StoreBackend.all)
    func search_FiltersOrdersAndPages(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        for i in 1...5 {
            _ = try store.createExperiment(
                name: "exp-\(i)", artifactLocation: nil, tags: [KeyValue(key: "team", value: i % 2 == 0 ? "A" : "b")])
        }
        let byName = try store.searchExperiments(ExperimentSearch(filter: "name LIKE 'exp-%'", orderBy: ["name DESC"]))
        #expect(byName.items.map(\.name) == ["exp-5", "exp-4", "exp-3", "exp-2", "exp-1"])
        let teamA = try store.searchExperiments(ExperimentSearch(filter: "tags.team = 'A'", orderBy: ["name"]))
        #expect(teamA.items.map(\.name) == ["exp-2", "exp-4"])
        let ilike = try store.searchExperiments(ExperimentSearch(filter: "tags.team ILIKE 'a'"))
        #expect(ilike.items.count == 2)
        let caseSensitive = try store.searchExperiments(ExperimentSearch(filter: "name LIKE 'EXP-%'"))
        #expect(caseSensitive.items.isEmpty)
        let ids = try store.searchExperiments(ExperimentSearch(filter: "experiment_id IN ('1', '3')", orderBy: ["experiment_id"]))
        #expect(ids.items.map(\.experimentID) == ["1", "3"])

        var seen: [String] = []
        var token: String?
        repeat {
            let page = try store.searchExperiments(
                ExperimentSearch(maxResults: 2, orderBy: ["experiment_id ASC"], pageToken: token))
            seen += page.items.map(\.experimentID)
            token = page.nextPageToken
        } while token != nil
        #expect(seen == ["0", "1", "2", "3", "4", "5"])

        try store.deleteExperiment(id: "1")
        #expect(try store.searchExperiments(ExperimentSearch(viewType: .deletedOnly)).items.map(\.experimentID) == ["1"])
        #expect(try store.searchExperiments(ExperimentSearch(viewType: .all)).items.count == 6)
        #expect(throws: StoreError.self) { try store.searchExperiments(ExperimentSearch(filter: "name = 'x' OR name = 'y'")) }
        #expect(throws: StoreError.self) { try store.searchExperiments(ExperimentSearch(pageToken: "garbage!")) }
    }
}

@Suite struct InMemoryStoreTests {
    /// `sqlite://:memory:` has no readers (the database lives on the writer connection): reads go through it too.
    @Test func inMemoryDatabase_ReadsItsOwnWrites() throws {
        let store = try SQLStore.open(StoreLocation(uri: "sqlite://:memory:"))
        defer { store.close() }
        let id = try store.createExperiment(name: "mem", artifactLocation: nil, tags: [])
        let run = try store.createRun(RunCreate(experimentID: id, startTime: 1))
        try store.logMetric(runID: run.info.runID, Metric(key: "m", value: 3, timestamp: 1))
        #expect(try store.getRun(id: run.info.runID).metrics.first?.value == 3)
        #expect(try store.searchExperiments(ExperimentSearch()).items.count == 2)
    }
}
