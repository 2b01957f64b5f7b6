import JSON
public import Store

/// MLflow's tracking RPCs (MLFLOW_API.md §2.1–2.5) over a `TrackingStore`. Handlers only translate: they read
/// and check the request's fields, call the store once, and encode what it returns. Validation of keys,
/// values, limits and run state lives in the store, once.
public enum TrackingRoutes {
    static let maxSearchResults: Int64 = 50_000

    public static func register(on router: inout Router, store: any TrackingStore) {
        registerExperiments(on: &router, store: store)
        registerRuns(on: &router, store: store)
        registerLogging(on: &router, store: store)
    }

    // MARK: - Experiments (§2.1)

    private static func registerExperiments(on router: inout Router, store: any TrackingStore) {
        MLflowRoutes.add(&router, .POST, "/experiments/create") { r, _ in
            let id = try store.createExperiment(
                name: try r.requiredNonEmptyString("name"), artifactLocation: try r.string("artifact_location").flatMap { $0.isEmpty ? nil : $0 },
                tags: try r.keyValues("tags").map { KeyValue(key: $0.key, value: $0.value) })
            return ["experiment_id": .string(id)]
        }
        MLflowRoutes.add(&router, .GET, "/experiments/get") { r, _ in
            ["experiment": MLflowJSON.experiment(try store.getExperiment(id: try r.requiredNonEmptyString("experiment_id")))]
        }
        MLflowRoutes.add(&router, .GET, "/experiments/get-by-name") { r, _ in
            ["experiment": MLflowJSON.experiment(try store.getExperiment(name: try r.requiredNonEmptyString("experiment_name")))]
        }
        for method in [HTTPMethod.POST, .GET] {
            MLflowRoutes.add(&router, method, "/experiments/search") { r, _ in
                let search = ExperimentSearch(
                    filter: try r.string("filter") ?? "", viewType: try viewType(r, "view_type"),
                    maxResults: try maxResults(r, default: 1000), orderBy: try r.strings("order_by"),
                    pageToken: try r.string("page_token").flatMap { $0.isEmpty ? nil : $0 })
                return MLflowJSON.page("experiments", try store.searchExperiments(search), MLflowJSON.experiment)
            }
        }
        MLflowRoutes.add(&router, .POST, "/experiments/update") { r, _ in
            try store.renameExperiment(id: try r.requiredNonEmptyString("experiment_id"), newName: try r.requiredNonEmptyString("new_name"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/experiments/delete") { r, _ in
            try store.deleteExperiment(id: try r.requiredNonEmptyString("experiment_id"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/experiments/restore") { r, _ in
            try store.restoreExperiment(id: try r.requiredNonEmptyString("experiment_id"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/experiments/set-experiment-tag") { r, _ in
            try store.setExperimentTag(
                id: try r.requiredNonEmptyString("experiment_id"), key: try r.requiredNonEmptyString("key"), value: try r.string("value") ?? "")
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/experiments/delete-experiment-tag") { r, _ in
            try store.deleteExperimentTag(id: try r.requiredNonEmptyString("experiment_id"), key: try r.requiredNonEmptyString("key"))
            return MLflowRoutes.empty
        }
    }

    // MARK: - Runs (§2.2)

    private static func registerRuns(on router: inout Router, store: any TrackingStore) {
        MLflowRoutes.addEncoded(&router, .POST, "/runs/create") { r, _ in
            let experimentID = try r.string("experiment_id").flatMap { $0.isEmpty ? nil : $0 } ?? "0"
            let create = RunCreate(
                experimentID: experimentID, userID: try r.string("user_id") ?? "",
                runName: try r.string("run_name").flatMap { $0.isEmpty ? nil : $0 },
                startTime: try r.int64("start_time") ?? currentTimeMilliseconds(),
                tags: try r.keyValues("tags").map { KeyValue(key: $0.key, value: $0.value) })
            return MLflowJSON.encodedRun(try store.createRun(create))
        }
        MLflowRoutes.addEncoded(&router, .GET, "/runs/get") { r, _ in
            MLflowJSON.encodedRun(try store.getRun(id: try runID(r)))
        }
        MLflowRoutes.addEncoded(&router, .POST, "/runs/update") { r, _ in
            let info = try store.updateRun(
                id: try runID(r), status: try r.enumeration("status", numbers: runStatusNumbers),
                endTime: try r.int64("end_time"), runName: try r.string("run_name").flatMap { $0.isEmpty ? nil : $0 })
            return MLflowJSON.encodedRunInfo(info)
        }
        MLflowRoutes.add(&router, .POST, "/runs/delete") { r, _ in
            try store.deleteRun(id: try runID(r))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/runs/restore") { r, _ in
            try store.restoreRun(id: try runID(r))
            return MLflowRoutes.empty
        }
        for method in [HTTPMethod.POST, .GET] {
            MLflowRoutes.addEncoded(&router, method, "/runs/search") { r, _ in
                let search = RunSearch(
                    experimentIDs: try r.strings("experiment_ids"), filter: try r.string("filter") ?? "",
                    viewType: try viewType(r, "run_view_type"), maxResults: try maxResults(r, default: 1000),
                    orderBy: try r.strings("order_by"), pageToken: try r.string("page_token").flatMap { $0.isEmpty ? nil : $0 })
                return MLflowJSON.encodedRunsPage(try store.searchRuns(search))
            }
        }
    }

    // MARK: - Logging and history (§2.3–2.5)

    private static func registerLogging(on router: inout Router, store: any TrackingStore) {
        MLflowRoutes.add(&router, .POST, "/runs/log-metric") { r, _ in
            try store.logMetric(runID: try runID(r), try metric(r))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/runs/log-parameter") { r, _ in
            try store.logParam(runID: try runID(r), key: try r.requiredString("key"), value: try r.string("value") ?? "")
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/runs/set-tag") { r, _ in
            try store.setTag(runID: try runID(r), key: try r.requiredString("key"), value: try r.string("value") ?? "")
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/runs/delete-tag") { r, _ in
            try store.deleteRunTag(runID: try runID(r), key: try r.requiredString("key"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/runs/log-batch") { r, _ in
            try store.logBatch(
                runID: try runID(r), metrics: try r.objects("metrics").map(metric),
                params: try r.keyValues("params").map { KeyValue(key: $0.key, value: $0.value) },
                tags: try r.keyValues("tags").map { KeyValue(key: $0.key, value: $0.value) })
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/runs/log-inputs") { r, _ in
            let datasets = try r.objects("datasets").map { entry -> DatasetInput in
                guard let d = try entry.object("dataset") else { throw MLflowRequest.missing("dataset") }
                let dataset = Dataset(
                    name: try d.requiredString("name"), digest: try d.requiredString("digest"),
                    sourceType: try d.requiredString("source_type"), source: try d.requiredString("source"),
                    schema: try d.string("schema"), profile: try d.string("profile"))
                return DatasetInput(dataset: dataset, tags: try entry.keyValues("tags").map { KeyValue(key: $0.key, value: $0.value) })
            }
            let models = try r.objects("models").map { try $0.requiredNonEmptyString("model_id") }
            try store.logInputs(runID: try runID(r), datasets: datasets, modelIDs: models)
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/runs/outputs") { r, _ in
            let models = try r.objects("models").map { ModelOutput(modelID: try $0.requiredNonEmptyString("model_id"), step: try $0.int64("step") ?? 0) }
            try store.logOutputs(runID: try runID(r), models: models)
            return MLflowRoutes.empty
        }
        // Legacy runs/log-model (MLFLOW_API.md §2.4): the model JSON is appended to a JSON-list tag.
        MLflowRoutes.add(&router, .POST, "/runs/log-model") { r, _ in
            let id = try runID(r)
            let modelJSON = try r.requiredNonEmptyString("model_json")
            guard case .object = try JSONParser.parse(modelJSON) else {
                throw APIError(.invalidParameterValue, "model_json must be a JSON object")
            }
            try store.appendLoggedModelHistory(runID: id, modelJSON: modelJSON)
            return MLflowRoutes.empty
        }
        MLflowRoutes.addEncoded(&router, .GET, "/metrics/get-history") { r, _ in
            let maxResults = try r.int64("max_results").map { Int(clamping: $0) }
            if let maxResults, maxResults <= 0 { throw APIError(.invalidParameterValue, "max_results must be positive") }
            let page = try store.getMetricHistory(
                runID: try runID(r), key: try r.requiredNonEmptyString("metric_key"), maxResults: maxResults,
                pageToken: try r.string("page_token").flatMap { $0.isEmpty ? nil : $0 })
            return MLflowJSON.encodedMetricHistory(page)
        }
        MLflowRoutes.add(&router, .GET, "/metrics/get-history-bulk-interval") { r, _ in
            try bulkInterval(r, store: store)
        }
    }

    /// `get-history-bulk-interval` (UI): each run's history of one metric between two steps, reduced to at most
    /// `max_results` evenly spaced steps that always include the first and last (MLFLOW_API.md §2.5).
    private static func bulkInterval(_ r: MLflowRequest, store: any TrackingStore) throws -> JSONValue {
        let runIDs = try r.strings("run_ids")
        guard !runIDs.isEmpty else { throw MLflowRequest.missing("run_ids") }
        guard runIDs.count <= 100 else { throw APIError(.invalidParameterValue, "At most 100 run_ids may be given; got \(runIDs.count)") }
        let key = try r.requiredNonEmptyString("metric_key")
        let startStep = try r.int64("start_step")
        let endStep = try r.int64("end_step")
        guard (startStep == nil) == (endStep == nil) else {
            throw APIError(.invalidParameterValue, "start_step and end_step must be given together")
        }
        if let startStep, let endStep, startStep > endStep {
            throw APIError(.invalidParameterValue, "end_step must be at least start_step")
        }
        let maxResults = try r.int64("max_results") ?? 2500
        guard (1...2500).contains(maxResults) else { throw APIError(.invalidParameterValue, "max_results must be between 1 and 2500") }

        var metrics: [JSONValue] = []
        for runID in runIDs {
            var history = try store.getMetricHistory(runID: runID, key: key, maxResults: nil, pageToken: nil).items
            if let startStep, let endStep { history = history.filter { $0.step >= startStep && $0.step <= endStep } }
            let steps = Array(Set(history.map(\.step))).sorted()
            let kept: Set<Int64>
            if steps.count <= Int(maxResults) {
                kept = Set(steps)
            } else {
                let count = Int(maxResults)
                kept = count == 1 ? [steps[0]] : Set((0..<count).map { steps[$0 * (steps.count - 1) / (count - 1)] })
            }
            for m in history.sorted(by: { ($0.step, $0.timestamp) < ($1.step, $1.timestamp) }) where kept.contains(m.step) {
                guard case .object(var o) = MLflowJSON.metric(m) else { continue }
                o.append("run_id", .string(runID))
                metrics.append(.object(o))
            }
        }
        return metrics.isEmpty ? MLflowRoutes.empty : ["metrics": .array(metrics)]
    }

    // MARK: - Field helpers

    /// `run_id`, or the legacy `run_uuid` the client also sends (MLFLOW_API.md §8.6).
    static func runID(_ r: MLflowRequest) throws -> String {
        if let id = try r.string("run_id"), !id.isEmpty { return id }
        if let id = try r.string("run_uuid"), !id.isEmpty { return id }
        throw MLflowRequest.missing("run_id")
    }

    static func metric(_ r: MLflowRequest) throws -> Metric {
        guard let value = try r.double("value") else { throw MLflowRequest.missing("value") }
        return Metric(
            key: try r.requiredString("key"), value: value, timestamp: try r.requiredInt64("timestamp"),
            step: try r.int64("step") ?? 0, modelID: try r.string("model_id"), datasetName: try r.string("dataset_name"),
            datasetDigest: try r.string("dataset_digest"))
    }

    static let runStatusNumbers: [Int64: RunStatus] = [1: .running, 2: .scheduled, 3: .finished, 4: .failed, 5: .killed]

    static func viewType(_ r: MLflowRequest, _ name: String) throws -> ViewType {
        try r.enumeration(name, numbers: [1: ViewType.activeOnly, 2: .deletedOnly, 3: .all]) ?? .activeOnly
    }

    static func maxResults(_ r: MLflowRequest, default fallback: Int) throws -> Int {
        guard let value = try r.int64("max_results") else { return fallback }
        guard value > 0 else { throw APIError(.invalidParameterValue, "Invalid value \(value) for parameter 'max_results': it must be a positive integer") }
        guard value <= maxSearchResults else {
            throw APIError(.invalidParameterValue, "Invalid value \(value) for parameter 'max_results': it must be at most \(maxSearchResults)")
        }
        return Int(value)
    }
}
