import Foundation

extension SQLStore {
    // MARK: - log-batch (MLFLOW_API.md §2.3)

    public func logBatch(runID: String, metrics: [Metric], params: [KeyValue], tags: [KeyValue]) throws {
        let batch = try Self.validatedBatch(metrics: metrics, params: params, tags: tags)
        if batch.metrics.isEmpty && batch.params.isEmpty && batch.tags.isEmpty {
            _ = try read { db in try Self.requireRunExists(db, runID) }
            return
        }
        try write { db in
            let run = try Self.requireActiveRun(db, runID)
            // Params first, all or nothing on a value conflict; then metrics; then tags (MLflow's order).
            try Self.insertParams(db, runID: runID, params: batch.params)
            try Self.insertMetrics(db, runSeq: run.runSeq, metrics: batch.metrics)
            try Self.recordLoggedModelMetrics(db, runID: runID, metrics: batch.metrics)
            if !batch.tags.isEmpty { try Self.upsertTags(db, runID: runID, tags: batch.tags) }
        }
    }

    struct ValidatedBatch: Sendable {
        var metrics: [StoredMetric]
        var params: [KeyValue]
        var tags: [KeyValue]
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
        var stored: [StoredMetric] = []
        stored.reserveCapacity(metrics.count)
        var validKeys: Set<String> = []
        for metric in metrics {
            if !validKeys.contains(metric.key) {
                try Validation.key(metric.key, kind: "metric")
                validKeys.insert(metric.key)
            }
            guard metric.timestamp >= 0 else {
                throw StoreError.invalidParameter(
                    "Got invalid timestamp \(metric.timestamp) for metric '\(metric.key)'. Timestamp must be a nonnegative long (64-bit integer)")
            }
            let (value, isNaN) = Validation.storedMetric(metric.value)
            stored.append(
                StoredMetric(
                    key: metric.key, value: value, isNaN: isNaN, timestamp: metric.timestamp, step: metric.step,
                    modelID: metric.modelID, datasetName: metric.datasetName, datasetDigest: metric.datasetDigest))
        }
        return ValidatedBatch(metrics: stored, params: validParams, tags: try Validation.tags(tags))
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

    /// A history chunk whose number is one past the (run, key)'s highest so far, plus its position among this
    /// batch's chunks of the same key (PostgreSQL evaluates every row's subquery before inserting any).
    static let metricChunkInsert = RowInsert(
        head: "INSERT INTO metric_chunks (run_seq, key, chunk, timestamp, step, value, is_nan, more_points, model_id, "
            + "dataset_name, dataset_digest) VALUES ",
        row: "(?, ?, COALESCE((SELECT MAX(chunk) FROM metric_chunks WHERE run_seq = ? AND key = ?), 0) + ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tail: "")

    static let latestMetricUpsert = RowInsert(
        head: "INSERT INTO latest_metrics (run_seq, key, value, timestamp, step, is_nan) VALUES ", columns: 6,
        tail: """
             ON CONFLICT (run_seq, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, \
            step = excluded.step, is_nan = excluded.is_nan \
            WHERE (excluded.step, excluded.timestamp, excluded.value) > \
            (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
            """)

    /// Raises `latest_metrics` where the batch holds a higher (step, timestamp, value) for a key, then appends the
    /// history as one chunk per key (and model / dataset) of the batch.
    ///
    /// The upsert comes first: on PostgreSQL it locks each (run, key) row even when it changes nothing, so a
    /// concurrent batch for the same key waits, and the chunk numbers read afterwards are the committed ones.
    static func insertMetrics(_ db: any SQLSession, runSeq: Int64, metrics: [StoredMetric]) throws {
        guard !metrics.isEmpty else { return }
        let run = SQLValue.integer(runSeq)
        // The batch's own maximum per key first, so each key is upserted once (PostgreSQL refuses to update a row
        // twice in one statement); keys sorted so concurrent PostgreSQL transactions lock rows in the same order.
        var latest: [String: StoredMetric] = [:]
        for m in metrics {
            if let current = latest[m.key], !isHigher(m, than: current) { continue }
            latest[m.key] = m
        }
        try db.executeMany(
            latestMetricUpsert,
            rows: latest.keys.sorted().map { key in
                let m = latest[key]!
                return [run, .text(m.key), .real(m.value), .integer(m.timestamp), .integer(m.step), .integer(m.isNaN ? 1 : 0)]
            })
        try db.executeMany(metricChunkInsert, rows: chunks(of: metrics).map { chunk in
            let first = chunk.points[0]
            let more: SQLValue = chunk.points.count > 1 ? .blob(MetricPointsCodec.encode(chunk.points.dropFirst())) : .null
            return [run, .text(chunk.key), run, .text(chunk.key), .integer(Int64(chunk.ordinal)),
                    .integer(first.timestamp), .integer(first.step), .real(first.value), .integer(first.isNaN ? 1 : 0),
                    more, chunk.modelID.sqlValue, chunk.datasetName.sqlValue, chunk.datasetDigest.sqlValue]
        })
    }

    /// The points of one key (and model / dataset) from one batch, in the batch's order.
    struct MetricChunk {
        var key: String
        var modelID: String?
        var datasetName: String?
        var datasetDigest: String?
        /// 1 for the batch's first chunk of this key, 2 for its second (another model or dataset), …
        var ordinal: Int
        var points: [MetricPoint]
    }

    /// Groups a batch into chunks, in the order each group first appears.
    static func chunks(of metrics: [StoredMetric]) -> [MetricChunk] {
        struct Group: Hashable {
            var key: String
            var modelID: String?
            var datasetName: String?
            var datasetDigest: String?
        }
        var chunks: [MetricChunk] = []
        var index: [Group: Int] = [:]
        var perKey: [String: Int] = [:]
        for m in metrics {
            let group = Group(key: m.key, modelID: m.modelID, datasetName: m.datasetName, datasetDigest: m.datasetDigest)
            let point = MetricPoint(timestamp: m.timestamp, step: m.step, value: m.value, isNaN: m.isNaN)
            if let i = index[group] {
                chunks[i].points.append(point)
                continue
            }
            let ordinal = perKey[m.key, default: 0] + 1
            perKey[m.key] = ordinal
            index[group] = chunks.count
            chunks.append(
                MetricChunk(
                    key: m.key, modelID: m.modelID, datasetName: m.datasetName, datasetDigest: m.datasetDigest,
                    ordinal: ordinal, points: [point]))
        }
        return chunks
    }

    /// MLflow's order for "latest": compare (step, timestamp, value) (MLFLOW_API.md §3.2).
    static func isHigher(_ a: StoredMetric, than b: StoredMetric) -> Bool {
        (a.step, a.timestamp, a.value) > (b.step, b.timestamp, b.value)
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
        let metrics = points.map { Metric(key: key, value: $0.metricValue, timestamp: $0.timestamp, step: $0.step) }
        guard let maxResults else { return Page(items: metrics, nextPageToken: nil) }
        let (items, next) = PageToken.page(Array(metrics[min(offset, metrics.count)...].prefix(maxResults + 1)), offset: offset, limit: maxResults)
        return Page(items: items, nextPageToken: next)
    }

    /// Every point of a run's metric, ordered by timestamp, step and value, exact repeats removed (MLflow keeps a
    /// point once however often it is logged).
    static func history(_ db: any SQLSession, runID: String, key: String) throws -> [MetricPoint] {
        let rows = try db.query(
            """
            SELECT timestamp, step, value, is_nan, more_points FROM metric_chunks
            WHERE run_seq = (SELECT run_seq FROM runs WHERE run_uuid = \(runID)) AND key = \(key)
            ORDER BY chunk
            """)
        var points: [MetricPoint] = []
        for row in rows {
            points.append(MetricPoint(timestamp: row.int64(0), step: row.int64(1), value: row.double(2), isNaN: row.bool(3)))
            if let more = row.optionalBytes(4) { try MetricPointsCodec.decode(more, into: &points) }
        }
        // A training loop logs in order, so the common case is one pass that finds the points already sorted.
        if zip(points, points.dropFirst()).contains(where: { $1 < $0 }) { points.sort() }
        var unique: [MetricPoint] = []
        unique.reserveCapacity(points.count)
        for point in points where unique.last != point { unique.append(point) }
        return unique
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
}
