import Foundation

extension SQLStore {
    // MARK: - log-batch (MLFLOW_API.md §2.3)

    public func logBatch(runID: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) throws {
        let batch = try Self.validatedBatch(metrics: metrics, params: params, tags: tags)
        if batch.history.isEmpty && batch.params.isEmpty && batch.tags.isEmpty {
            _ = try read { db in try Self.requireRunExists(db, runID) }
            return
        }
        try write { db in
            let run = try Self.requireActiveRun(db, runID)
            // Params first, all or nothing on a value conflict; then metrics; then tags (MLflow's order).
            try Self.insertParams(db, runID: runID, params: batch.params)
            try Self.insertMetrics(db, runSeq: run.runSeq, batch: batch.history)
            try Self.recordLoggedModelMetrics(db, runID: runID, metrics: batch.modelMetrics)
            if !batch.tags.isEmpty { try Self.upsertTags(db, runID: runID, tags: batch.tags) }
        }
    }

    struct ValidatedBatch: Sendable {
        var params: [KeyValue]
        var tags: [KeyValue]
        /// The metrics grouped for storage, computed here so that the single writer does not spend its time on it.
        var history: MetricBatch
        /// The metrics that name a logged model (`model_id`).
        var modelMetrics: [StoredMetric]
    }

    /// A metric in its stored form: ±Inf clamped, NaN flagged with value 0.
    struct StoredMetric: Sendable {
        var key: String
        var value: Double
        var isNaN: Bool
        var timestamp: Int64
        var step: Int64
        var modelID: String?
        var datasetName: String?
        var datasetDigest: String?
    }

    /// Limits, keys and values checked before any SQL runs (MLflow `_validate_batch_log_limits` and friends).
    static func validatedBatch(metrics: [Metric], params: [KeyValue], tags: [KeyValue]) throws -> ValidatedBatch {
        guard metrics.count <= Validation.maxBatchMetrics else {
            throw StoreError.invalidParameter(
                "A batch logging request can contain at most \(Validation.maxBatchMetrics) metrics. Got \(metrics.count) metrics.")
        }
        guard params.count <= Validation.maxBatchParams else {
            throw StoreError.invalidParameter(
                "A batch logging request can contain at most \(Validation.maxBatchParams) params. Got \(params.count) params.")
        }
        guard tags.count <= Validation.maxBatchTags else {
            throw StoreError.invalidParameter(
                "A batch logging request can contain at most \(Validation.maxBatchTags) tags. Got \(tags.count) tags.")
        }
        let total = metrics.count + params.count + tags.count
        guard total <= Validation.maxBatchEntities else {
            throw StoreError.invalidParameter(
                "A batch logging request can contain at most \(Validation.maxBatchEntities) total entities. Got \(total).")
        }
        var seenParams: Set<String> = []
        var validParams: [KeyValue] = []
        for param in params {
            try Validation.key(param.key, kind: "param")
            guard seenParams.insert(param.key).inserted else {
                throw StoreError.invalidParameter(
                    "Duplicate parameter keys have been submitted: ['\(param.key)']. Please ensure the request contains only one param value per param key.")
            }
            validParams.append(
                KeyValue(key: param.key, value: Validation.truncated(param.value, limit: Validation.maxParamValueLength)))
        }
        var history = MetricBatch()
        var modelMetrics: [StoredMetric] = []
        for metric in metrics {
            let (value, isNaN) = Validation.storedMetric(metric.value)
            let point = MetricPoint(timestamp: metric.timestamp, step: metric.step, value: value, isNaN: isNaN)
            let isNewChunk = history.add(
                point, key: metric.key, modelID: metric.modelID, datasetName: metric.datasetName,
                datasetDigest: metric.datasetDigest)
            if isNewChunk { try Validation.key(metric.key, kind: "metric") }
            guard metric.timestamp >= 0 else {
                throw StoreError.invalidParameter(
                    "Got invalid timestamp \(metric.timestamp) for metric '\(metric.key)'. Timestamp must be a nonnegative long (64-bit integer)")
            }
            if metric.modelID != nil {
                modelMetrics.append(
                    StoredMetric(
                        key: metric.key, value: value, isNaN: isNaN, timestamp: metric.timestamp, step: metric.step,
                        modelID: metric.modelID, datasetName: metric.datasetName, datasetDigest: metric.datasetDigest))
            }
        }
        return ValidatedBatch(
            params: validParams, tags: try Validation.tags(tags), history: history, modelMetrics: modelMetrics)
    }

    /// Params are immutable: the same value again is a no-op, a different value is INVALID_PARAMETER_VALUE.
    static func insertParams(_ db: any SQLSession, runID: String, params: [KeyValue]) throws {
        guard !params.isEmpty else { return }
        let existing = try db.query(
            "SELECT key, value FROM params WHERE run_uuid = \(runID) AND key IN \(SQL.list(params.map(\.key)))")
        var known: [String: String] = [:]
        for row in existing { known[row.string(0)] = row.string(1) }
        var fresh: [KeyValue] = []
        for param in params {
            if let old = known[param.key] {
                guard old == param.value else {
                    throw StoreError.invalidParameter(
                        "Changing param values is not allowed. Param with key='\(param.key)' was already logged with "
                            + "value='\(old)' for run ID='\(runID)'. Attempted logging new value '\(param.value)'.")
                }
            } else {
                fresh.append(param)
            }
        }
        guard !fresh.isEmpty else { return }
        var sql: SQL = "INSERT INTO params (run_uuid, key, value) VALUES "
        for (i, param) in fresh.enumerated() {
            if i > 0 { sql.append(", ") }
            sql.append("(\(runID), \(param.key), \(param.value))")
        }
        try db.execute(sql)
    }

    public func deleteRunTag(runID: String, key: String) throws {
        try write { db in
            try Self.requireActiveRun(db, runID)
            guard try db.execute("DELETE FROM tags WHERE run_uuid = \(runID) AND key = \(key)") == 1 else {
                throw StoreError.notFound("No tag with name: \(key) in run with id \(runID)")
            }
        }
    }

    // MARK: - Metric history (MLFLOW_API.md §2.5)

    public func getMetricHistory(runID: String, key: String, maxResults: Int?, pageToken: String?) throws -> Page<Metric> {
        if let maxResults { try Validation.maxResults(maxResults, limit: Int(Int32.max)) }
        let offset = try PageToken.decode(pageToken)
        let points = try read { db in
            try Self.requireRunExists(db, runID)
            return try Self.history(db, runID: runID, key: key)
        }
        func metric(_ p: MetricPoint) -> Metric { Metric(key: key, value: p.metricValue, timestamp: p.timestamp, step: p.step) }
        guard let maxResults else { return Page(items: points.map(metric), nextPageToken: nil) }
        // Only the page (and one more, to know whether another follows) becomes Metric values.
        let window = points[min(offset, points.count)...].prefix(maxResults + 1).map(metric)
        let (items, next) = PageToken.page(window, offset: offset, limit: maxResults)
        return Page(items: items, nextPageToken: next)
    }

    // MARK: - Inputs and outputs (MLFLOW_API.md §2.4)

    public func logInputs(runID: String, datasets: [DatasetInput], modelIDs: [String]) throws {
        for input in datasets {
            let d = input.dataset
            guard !d.name.isEmpty, d.name.count <= 500, !d.digest.isEmpty, d.digest.count <= 36,
                d.source.count <= 65535, (d.schema?.count ?? 0) <= 1_048_575, (d.profile?.count ?? 0) <= 16_777_215
            else {
                throw StoreError.invalidParameter("Dataset '\(d.name.prefix(100))' has a missing or over-long field")
            }
            for tag in input.tags where tag.key.isEmpty || tag.key.count > 255 || tag.value.count > 500 {
                throw StoreError.invalidParameter("Input tag '\(tag.key.prefix(100))' has a missing or over-long field")
            }
        }
        try write { db in
            let experimentID = try Self.requireActiveRun(db, runID).experimentID
            for input in datasets {
                let d = input.dataset
                // A dataset's identity is (experiment, name, digest): reuse the existing row.
                var datasetID = try db.queryOne(
                    """
                    SELECT dataset_uuid FROM datasets
                    WHERE experiment_id = \(experimentID) AND name = \(d.name) AND digest = \(d.digest)
                    """)?.string(0)
                if datasetID == nil {
                    let id = Self.newRunID()
                    try db.execute(
                        """
                        INSERT INTO datasets (dataset_uuid, experiment_id, name, digest, source_type, source, schema, profile)
                        VALUES (\(id), \(experimentID), \(d.name), \(d.digest), \(d.sourceType), \(d.source), \(d.schema),
                                \(d.profile))
                        """)
                    datasetID = id
                }
                let inputID = try Self.ensureInput(db, runID: runID, sourceType: "DATASET", sourceID: datasetID!)
                for tag in input.tags {
                    try db.execute(
                        """
                        INSERT INTO input_tags (input_uuid, name, value) VALUES (\(inputID), \(tag.key), \(tag.value))
                        ON CONFLICT (input_uuid, name) DO UPDATE SET value = excluded.value
                        """)
                }
            }
            for modelID in modelIDs {
                _ = try Self.ensureInput(db, runID: runID, sourceType: "MODEL", sourceID: modelID)
            }
        }
    }

    private static func ensureInput(_ db: any SQLSession, runID: String, sourceType: String, sourceID: String) throws
        -> String
    {
        if let existing = try db.queryOne(
            """
            SELECT input_uuid FROM inputs
            WHERE destination_id = \(runID) AND source_type = \(sourceType) AND source_id = \(sourceID)
            """)
        {
            return existing.string(0)
        }
        let id = newRunID()
        try db.execute(
            """
            INSERT INTO inputs (input_uuid, source_type, source_id, destination_type, destination_id)
            VALUES (\(id), \(sourceType), \(sourceID), 'RUN', \(runID))
            """)
        return id
    }

    public func logOutputs(runID: String, models: [ModelOutput]) throws {
        try write { db in
            try Self.requireActiveRun(db, runID)
            for model in models {
                try db.execute(
                    """
                    INSERT INTO run_outputs (run_uuid, model_id, step) VALUES (\(runID), \(model.modelID), \(model.step))
                    ON CONFLICT DO NOTHING
                    """)
            }
        }
    }

    /// The tag in which legacy runs/log-model keeps its list of models.
    static let loggedModelHistoryTag = "mlflow.log-model.history"

    public func appendLoggedModelHistory(runID: String, modelJSON: String) throws {
        try write { db in
            try Self.requireActiveRun(db, runID)
            let existing = try db.queryOne(
                "SELECT value FROM tags WHERE run_uuid = \(runID) AND key = \(Self.loggedModelHistoryTag)")?.string(0)
            let history = Self.appending(modelJSON, toJSONList: existing)
            try db.execute(
                """
                INSERT INTO tags (run_uuid, key, value) VALUES (\(runID), \(Self.loggedModelHistoryTag), \(history))
                ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value
                """)
        }
    }

    /// `[a, b]` + `c` → `[a, b,c]`, as text: the Store does not parse JSON. A value that is not a list starts over.
    static func appending(_ element: String, toJSONList list: String?) -> String {
        guard let list, list.hasPrefix("["), list.hasSuffix("]") else { return "[" + element + "]" }
        let inner = list.dropFirst().dropLast()
        return inner.allSatisfy(\.isWhitespace) ? "[" + element + "]" : "[" + inner + "," + element + "]"
    }
}
