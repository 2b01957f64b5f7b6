extension SQLStore {
    // MARK: - Writing the history (migration 0004: metric_chunks and metric_staging)

    /// A batch's points of one key go straight to `metric_chunks` from this many on; fewer are staged.
    static let directChunkPoints = 32
    /// A run's staged batches are merged into `metric_chunks` when this many have accumulated.
    static let stagedBatchesPerMerge: Int64 = 32

    static let latestMetricUpsert = RowInsert(
        head: "INSERT INTO latest_metrics (run_seq, key, value, timestamp, step, is_nan) VALUES ", columns: 6,
        tail: """
             ON CONFLICT (run_seq, key) DO UPDATE SET value = excluded.value, timestamp = excluded.timestamp, \
            step = excluded.step, is_nan = excluded.is_nan \
            WHERE (excluded.step, excluded.timestamp, excluded.value) > \
            (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
            """)

    /// A chunk numbered one past the (run, key)'s highest so far plus its ordinal among the batch's chunks of that
    /// key (PostgreSQL evaluates every row's subquery before inserting any, SQLite may go row by row: the numbers
    /// are unique either way).
    static let metricChunkInsert = RowInsert(
        head: "INSERT INTO metric_chunks (run_seq, key, chunk, timestamp, step, value, is_nan, more_points, model_id, "
            + "dataset_name, dataset_digest) VALUES ",
        row: "(?, ?, COALESCE((SELECT MAX(chunk) FROM metric_chunks WHERE run_seq = ? AND key = ?), 0) + ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        tail: "")

    /// Raises `latest_metrics` where the batch holds a higher (step, timestamp, value) for a key, then appends the
    /// history: a batch's only chunk, and chunks of at least `directChunkPoints` points, to `metric_chunks`; the rest
    /// to `metric_staging`.
    static func insertMetrics(_ db: any SQLSession, runSeq: Int64, batch: MetricBatch) throws {
        guard !batch.isEmpty else { return }
        // Chunk and staging numbers are read, then written. SQLite has a single writer; on PostgreSQL the run's row
        // lock makes concurrent batches of one run take their numbers one after the other.
        if db.dialect == .postgres { try db.execute("SELECT run_seq FROM runs WHERE run_seq = \(runSeq) FOR UPDATE") }
        let run = SQLValue.integer(runSeq)
        try db.executeMany(
            latestMetricUpsert,
            rows: batch.latest.map { key, p in
                [run, .text(key), .real(p.value), .integer(p.timestamp), .integer(p.step), .integer(p.isNaN ? 1 : 0)]
            })
        // Staging pays when a batch spreads over several keys (one row instead of a page per key); a batch of one
        // key, such as runs/log-metric, is one row either way and goes straight to its chunks.
        let stagesSmallChunks = batch.chunks.count > 1
        let direct = batch.chunks.filter { !stagesSmallChunks || $0.points.count >= directChunkPoints }
        let staged = batch.chunks.filter { stagesSmallChunks && $0.points.count < directChunkPoints }
        try insertChunks(db, runSeq: runSeq, direct)
        guard !staged.isEmpty else { return }

        // Staged batches of a run are numbered 1, 2, … since its last merge.
        let seq = (try db.queryOne("SELECT MAX(seq) FROM metric_staging WHERE run_seq = \(runSeq)")?.optionalInt64(0) ?? 0) + 1
        let packed = SQLValue.blob(StagedBatchCodec.encode(staged))
        try db.execute("INSERT INTO metric_staging (run_seq, seq, chunks) VALUES (\(runSeq), \(seq), \(packed))")
        if seq >= stagedBatchesPerMerge { try mergeStaged(db, runSeq: runSeq) }
    }

    private static func insertChunks(_ db: any SQLSession, runSeq: Int64, _ chunks: [MetricBatch.Chunk]) throws {
        guard !chunks.isEmpty else { return }
        let run = SQLValue.integer(runSeq)
        try db.executeMany(
            metricChunkInsert,
            rows: chunks.map { chunk in
                let first = chunk.points[0]
                return [run, .text(chunk.key), run, .text(chunk.key), .integer(Int64(chunk.ordinal)),
                        .integer(first.timestamp), .integer(first.step), .real(first.value), .integer(first.isNaN ? 1 : 0),
                        packedRest(chunk), chunk.modelID.sqlValue, chunk.datasetName.sqlValue, chunk.datasetDigest.sqlValue]
            })
    }

    private static func packedRest(_ chunk: MetricBatch.Chunk) -> SQLValue {
        chunk.points.count > 1 ? .blob(MetricPointsCodec.encode(chunk.points.dropFirst())) : .null
    }

    /// Moves every staged batch of a run into `metric_chunks`, one chunk per key (and model / dataset), in the order
    /// the points were logged.
    static func mergeStaged(_ db: any SQLSession, runSeq: Int64) throws {
        var merged = MetricBatch()
        for chunk in try stagedChunks(db, runSeq: "\(runSeq)") {
            for point in chunk.points {
                merged.add(
                    point, key: chunk.key, modelID: chunk.modelID, datasetName: chunk.datasetName,
                    datasetDigest: chunk.datasetDigest)
            }
        }
        try insertChunks(db, runSeq: runSeq, merged.chunks)
        try db.execute("DELETE FROM metric_staging WHERE run_seq = \(runSeq)")
    }

    /// Every chunk of a run's staged batches, in the order they were logged.
    private static func stagedChunks(_ db: any SQLSession, runSeq: SQL) throws -> [MetricBatch.Chunk] {
        var chunks: [MetricBatch.Chunk] = []
        for row in try db.query("SELECT chunks FROM metric_staging WHERE run_seq = \(runSeq) ORDER BY seq") {
            chunks += try StagedBatchCodec.decode(row.optionalBytes(0) ?? [])
        }
        return chunks
    }

    // MARK: - Reading the history

    /// Every point of a run's metric, ordered by timestamp, step and value, exact repeats removed (MLflow keeps a
    /// point once however often it is logged).
    static func history(_ db: any SQLSession, runID: String, key: String) throws -> [MetricPoint] {
        let runSeq: SQL = "(SELECT run_seq FROM runs WHERE run_uuid = \(runID))"
        let merged = try db.query(
            """
            SELECT timestamp, step, value, is_nan, more_points FROM metric_chunks
            WHERE run_seq = \(runSeq) AND key = \(key) ORDER BY chunk
            """)
        var points: [MetricPoint] = []
        for row in merged {
            points.append(MetricPoint(timestamp: row.int64(0), step: row.int64(1), value: row.double(2), isNaN: row.bool(3)))
            if let more = row.optionalBytes(4) { try MetricPointsCodec.decode(more, into: &points) }
        }
        for chunk in try stagedChunks(db, runSeq: runSeq) where chunk.key == key { points += chunk.points }
        // A training loop logs in order, so the common case is one pass that finds the points already sorted.
        if zip(points, points.dropFirst()).contains(where: { $1 < $0 }) { points.sort() }
        var unique: [MetricPoint] = []
        unique.reserveCapacity(points.count)
        for point in points where unique.last != point { unique.append(point) }
        return unique
    }
}
