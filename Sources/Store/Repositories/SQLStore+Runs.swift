extension SQLStore {
    static let runNameTag = "mlflow.runName"

    // MARK: - Runs (MLFLOW_API.md §2.2)

    public func createRun(_ request: RunCreate) throws -> Run {
        let experimentText = request.experimentID.isEmpty ? "0" : request.experimentID
        let experimentID = try Validation.experimentID(experimentText)
        var tags = try Validation.tags(request.tags)
        let tagName = tags.first { $0.key == Self.runNameTag }?.value
        if let given = request.runName, !given.isEmpty, let tagName, tagName != given {
            throw StoreError.invalidParameter(
                "Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values "
                    + "(run_name='\(given)', mlflow.runName='\(tagName)').")
        }
        let runName = request.runName.flatMap { $0.isEmpty ? nil : $0 } ?? tagName ?? RunNameGenerator.make()
        if tagName == nil { tags.append(KeyValue(key: Self.runNameTag, value: runName)) }
        let runID = Self.newRunID()
        let finalTags = tags
        return try write { db in
            guard let experiment = try db.queryOne(
                "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = \(experimentID)")
            else {
                throw StoreError.notFound("No Experiment with id=\(experimentText) exists")
            }
            guard experiment.string(0) == "active" else {
                throw StoreError.invalidParameter(
                    "The experiment \(experimentText) must be in the 'active' state. Current state is deleted.")
            }
            let artifactURI = "\(experiment.string(1))/\(runID)/artifacts"
            try db.execute(
                """
                INSERT INTO runs (run_uuid, name, experiment_id, user_id, status, start_time, end_time, artifact_uri,
                                  lifecycle_stage)
                VALUES (\(runID), \(runName), \(experimentID), \(request.userID), 'RUNNING', \(request.startTime), NULL,
                        \(artifactURI), 'active')
                """)
            // The run row was inserted with its name already: no rename through the tag.
            try Self.upsertTags(db, runID: runID, tags: finalTags, renamesRun: false)
            let info = RunInfo(
                runID: runID, runName: runName, experimentID: experimentText, userID: request.userID,
                status: .running, startTime: request.startTime, endTime: nil, artifactURI: artifactURI,
                lifecycleStage: .active)
            return Run(
                info: info, metrics: [], params: [], tags: finalTags.sorted { $0.key < $1.key }, datasetInputs: [],
                modelInputs: [], modelOutputs: [])
        }
    }

    public func getRun(id: String) throws -> Run {
        try read { db in
            guard let run = try Self.loadRuns(db, ids: [id], includeModelInputs: true).first else {
                throw StoreError.notFound("Run with id=\(id) not found")
            }
            return run
        }
    }

    public func updateRun(id: String, status: RunStatus?, endTime: Int64?, runName: String?) throws -> RunInfo {
        try write { db in
            try Self.requireActiveRun(db, id)
            if let status { try db.execute("UPDATE runs SET status = \(status.rawValue) WHERE run_uuid = \(id)") }
            if let endTime { try db.execute("UPDATE runs SET end_time = \(endTime) WHERE run_uuid = \(id)") }
            if let runName, !runName.isEmpty {
                try db.execute("UPDATE runs SET name = \(runName) WHERE run_uuid = \(id)")
                try Self.upsertTags(db, runID: id, tags: [KeyValue(key: Self.runNameTag, value: runName)])
            }
            return try Self.loadRunInfos(db, ids: [id])[0]
        }
    }

    public func deleteRun(id: String) throws { try setRunStage(id, "deleted") }

    public func restoreRun(id: String) throws { try setRunStage(id, "active") }

    private func setRunStage(_ id: String, _ stage: String) throws {
        try write { db in
            guard try db.execute("UPDATE runs SET lifecycle_stage = \(stage) WHERE run_uuid = \(id)") == 1 else {
                throw StoreError.notFound("Run with id=\(id) not found")
            }
        }
    }

    // MARK: - Run helpers

    /// What the logging paths need to know about an active run.
    struct ActiveRun {
        var experimentID: Int64
        /// The internal surrogate key the metric tables cluster on.
        var runSeq: Int64
    }

    /// Logging is refused only on deleted runs; FINISHED runs accept writes (MLFLOW_API.md §2.2).
    @discardableResult
    static func requireActiveRun(_ db: any SQLSession, _ id: String) throws -> ActiveRun {
        guard let row = try db.queryOne(
            "SELECT lifecycle_stage, experiment_id, run_seq FROM runs WHERE run_uuid = \(id)")
        else {
            throw StoreError.notFound("Run with id=\(id) not found")
        }
        guard row.string(0) == "active" else {
            throw StoreError.invalidParameter(
                "The run \(id) must be in the 'active' state. Current state is \(row.string(0)).")
        }
        return ActiveRun(experimentID: row.int64(1), runSeq: row.int64(2))
    }

    static func requireRunExists(_ db: any SQLSession, _ id: String) throws {
        guard try db.queryOne("SELECT 1 FROM runs WHERE run_uuid = \(id)") != nil else {
            throw StoreError.notFound("Run with id=\(id) not found")
        }
    }


    /// Upserts tags (one multi-row statement per chunk); `mlflow.runName` also renames the run unless `renamesRun`
    /// is false.
    static func upsertTags(_ db: any SQLSession, runID: String, tags: [KeyValue], renamesRun: Bool = true) throws {
        for chunk in chunks(tags, of: 200) {
            var sql: SQL = "INSERT INTO tags (run_uuid, key, value) VALUES "
            for (i, tag) in chunk.enumerated() {
                if i > 0 { sql.append(", ") }
                sql.append("(\(runID), \(tag.key), \(tag.value))")
            }
            sql.append(" ON CONFLICT (run_uuid, key) DO UPDATE SET value = excluded.value")
            try db.execute(sql)
        }
        if renamesRun, let name = tags.last(where: { $0.key == runNameTag })?.value {
            try db.execute("UPDATE runs SET name = \(name) WHERE run_uuid = \(runID)")
        }
    }

    static func loadRunInfos(_ db: any SQLSession, ids: [String]) throws -> [RunInfo] {
        try loadRunInfosAndSeqs(db, ids: ids).map(\.info)
    }

    /// Run infos in the order of `ids` (unknown IDs skipped), each with its internal `run_seq`.
    private static func loadRunInfosAndSeqs(_ db: any SQLSession, ids: [String]) throws -> [(info: RunInfo, seq: Int64)] {
        var byID: [String: (info: RunInfo, seq: Int64)] = [:]
        for chunk in chunks(ids, of: 500) {
            let rows = try db.query(
                """
                SELECT run_uuid, name, experiment_id, user_id, status, start_time, end_time, artifact_uri,
                       lifecycle_stage, run_seq
                FROM runs WHERE run_uuid IN \(SQL.list(Array(chunk)))
                """)
            for row in rows {
                let info = RunInfo(
                    runID: row.string(0), runName: row.string(1), experimentID: String(row.int64(2)),
                    userID: row.string(3), status: RunStatus(rawValue: row.string(4)) ?? .running,
                    startTime: row.int64(5), endTime: row.optionalInt64(6), artifactURI: row.string(7),
                    lifecycleStage: LifecycleStage(rawValue: row.string(8)) ?? .active)
                byID[info.runID] = (info, row.int64(9))
            }
        }
        return ids.compactMap { byID[$0] }
    }

    /// Loads whole runs in the order of `ids`; unknown IDs are skipped. The official server includes model inputs
    /// in runs/get but not in runs/search (MLFLOW_API.md §3.2).
    static func loadRuns(_ db: any SQLSession, ids: [String], includeModelInputs: Bool) throws -> [Run] {
        let infos = try loadRunInfosAndSeqs(db, ids: ids)
        var runs = infos.map {
            Run(info: $0.info, metrics: [], params: [], tags: [], datasetInputs: [], modelInputs: [], modelOutputs: [])
        }
        guard !runs.isEmpty else { return [] }
        var index: [String: Int] = [:]
        var indexBySeq: [Int64: Int] = [:]
        for (i, loaded) in infos.enumerated() {
            index[loaded.info.runID] = i
            indexBySeq[loaded.seq] = i
        }
        for chunk in chunks(infos, of: 500) {
            let list = SQL.list(chunk.map(\.info.runID))
            // latest_metrics is keyed by run_seq: read it by seq, without a join back to runs. Each table is read in
            // its primary key's order, (run, key), which gives every run's keys in order without a sort.
            for row in try db.query(
                """
                SELECT run_seq, key, value, timestamp, step, is_nan
                FROM latest_metrics WHERE run_seq IN \(SQL.list(chunk.map(\.seq))) ORDER BY run_seq, key
                """)
            {
                runs[indexBySeq[row.int64(0)]!].metrics.append(
                    Metric(
                        key: row.string(1), value: row.bool(5) ? .nan : row.double(2), timestamp: row.int64(3),
                        step: row.int64(4)))
            }
            for row in try db.query("SELECT run_uuid, key, value FROM params WHERE run_uuid IN \(list) ORDER BY run_uuid, key") {
                runs[index[row.string(0)]!].params.append(KeyValue(key: row.string(1), value: row.string(2)))
            }
            for row in try db.query("SELECT run_uuid, key, value FROM tags WHERE run_uuid IN \(list) ORDER BY run_uuid, key") {
                runs[index[row.string(0)]!].tags.append(KeyValue(key: row.string(1), value: row.string(2)))
            }
            var inputIndex: [String: (run: Int, position: Int)] = [:]
            for row in try db.query(
                """
                SELECT i.destination_id, i.input_uuid, d.name, d.digest, d.source_type, d.source, d.schema, d.profile
                FROM inputs i JOIN datasets d ON d.dataset_uuid = i.source_id
                WHERE i.source_type = 'DATASET' AND i.destination_id IN \(list) ORDER BY d.name, d.digest
                """)
            {
                let runIndex = index[row.string(0)]!
                let dataset = Dataset(
                    name: row.string(2), digest: row.string(3), sourceType: row.string(4), source: row.string(5),
                    schema: row.optionalString(6), profile: row.optionalString(7))
                inputIndex[row.string(1)] = (runIndex, runs[runIndex].datasetInputs.count)
                runs[runIndex].datasetInputs.append(DatasetInput(dataset: dataset))
            }
            if !inputIndex.isEmpty {
                for inputChunk in chunks(Array(inputIndex.keys), of: 500) {
                    for row in try db.query(
                        "SELECT input_uuid, name, value FROM input_tags WHERE input_uuid IN \(SQL.list(Array(inputChunk))) ORDER BY name")
                    {
                        if let (r, p) = inputIndex[row.string(0)] {
                            runs[r].datasetInputs[p].tags.append(KeyValue(key: row.string(1), value: row.string(2)))
                        }
                    }
                }
            }
            if includeModelInputs {
                for row in try db.query(
                    """
                    SELECT destination_id, source_id FROM inputs
                    WHERE source_type = 'MODEL' AND destination_id IN \(list) ORDER BY source_id
                    """)
                {
                    runs[index[row.string(0)]!].modelInputs.append(row.string(1))
                }
            }
            for row in try db.query(
                "SELECT run_uuid, model_id, step FROM run_outputs WHERE run_uuid IN \(list) ORDER BY step, model_id")
            {
                runs[index[row.string(0)]!].modelOutputs.append(ModelOutput(modelID: row.string(1), step: row.int64(2)))
            }
        }
        return runs
    }
}
