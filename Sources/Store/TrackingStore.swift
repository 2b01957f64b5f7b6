/// MLflow's tracking data: experiments, runs, params, tags, metrics, inputs and outputs (MLFLOW_API.md §2).
///
/// Every method is synchronous and thread-safe: HTTP handler threads call it directly and block until the answer
/// is durable (writes return only after their transaction committed). Errors are `StoreError`s whose
/// `mlflowErrorCode` names the MLflow error to send. Obtain one with `SQLStore.open(_:options:)`; the caller never
/// knows whether SQLite or PostgreSQL is behind it.
///
/// ```swift
/// let store = try SQLStore.open(StoreLocation(uri: "sqlite:///mixbit-data/mixbit.db"))
/// let id = try store.createExperiment(name: "minilm-w4", artifactLocation: nil, tags: [])
/// let run = try store.createRun(RunCreate(experimentID: id, startTime: now))
/// try store.logBatch(runID: run.info.runID, metrics: [Metric(key: "loss", value: 0.3, timestamp: now)],
///                    params: [], tags: [])
/// ```
public protocol TrackingStore: Sendable {
    // MARK: Experiments (MLFLOW_API.md §2.1)

    /// Creates an experiment and returns its ID. `artifactLocation` nil means `<default artifact root>/<id>`.
    /// - Throws: `.alreadyExists` when the name is taken (deleted experiments included), `.invalidParameter`.
    func createExperiment(name: String, artifactLocation: String?, tags: [KeyValue]) throws -> String
    /// - Throws: `.notFound`, or `.invalidParameter` for a non-integer ID.
    func getExperiment(id: String) throws -> Experiment
    /// - Throws: `.notFound`.
    func getExperiment(name: String) throws -> Experiment
    func searchExperiments(_ search: ExperimentSearch) throws -> Page<Experiment>
    /// - Throws: `.invalidState` when the experiment is deleted, `.alreadyExists` when the new name is taken.
    func renameExperiment(id: String, newName: String) throws
    /// Soft-deletes the experiment and all its runs. - Throws: `.notFound` unless it is active.
    func deleteExperiment(id: String) throws
    /// - Throws: `.notFound` unless it is deleted.
    func restoreExperiment(id: String) throws
    func setExperimentTag(id: String, key: String, value: String) throws
    /// - Throws: `.notFound` when the tag does not exist.
    func deleteExperimentTag(id: String, key: String) throws

    // MARK: Runs (MLFLOW_API.md §2.2)

    func createRun(_ request: RunCreate) throws -> Run
    /// Returns deleted runs too. - Throws: `.notFound`.
    func getRun(id: String) throws -> Run
    /// Applies the fields that are non-nil; a non-empty `runName` also sets tag `mlflow.runName`.
    func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) throws -> RunInfo
    func deleteRun(id: String) throws
    func restoreRun(id: String) throws
    func searchRuns(_ search: RunSearch) throws -> Page<Run>

    // MARK: Logging (MLFLOW_API.md §2.3–2.5)

    /// Logs params, then metrics, then tags, all or nothing, validated as MLflow does (limits, keys, immutable
    /// params, truncated long values). log-metric, log-parameter and set-tag are one-element batches.
    func logBatch(runID: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) throws
    /// - Throws: `.notFound` when the tag does not exist.
    func deleteRunTag(runID: String, key: String) throws
    /// Metric history ordered by timestamp, step, value; `maxResults` nil returns everything.
    func getMetricHistory(runID: String, key: String, maxResults: Int?, pageToken: String?) throws -> Page<Metric>
    /// Records dataset and model inputs (idempotent).
    func logInputs(runID: String, datasets: [DatasetInput], modelIDs: [String]) throws
    /// Records models the run produced (`runs/outputs`).
    func logOutputs(runID: String, models: [ModelOutput]) throws
    /// Legacy runs/log-model: appends `modelJSON` (a JSON object) to the run's `mlflow.log-model.history` tag, a
    /// JSON list, in one transaction. That tag is kept whole, not cut at the tag length limit: MLflow's store writes
    /// it unvalidated, and a cut list would no longer be JSON.
    func appendLoggedModelHistory(runID: String, modelJSON: String) throws
}

extension TrackingStore {
    /// `runs/log-metric`.
    public func logMetric(runID: String, _ metric: Metric) throws {
        try logBatch(runID: runID, metrics: [metric], params: [], tags: [])
    }

    /// `runs/log-parameter`.
    public func logParam(runID: String, key: String, value: String) throws {
        try logBatch(runID: runID, metrics: [], params: [KeyValue(key: key, value: value)], tags: [])
    }

    /// `runs/set-tag`.
    public func setTag(runID: String, key: String, value: String) throws {
        try logBatch(runID: runID, metrics: [], params: [], tags: [KeyValue(key: key, value: value)])
    }
}
