extension SQLStore: LoggedModelStore {
    // MARK: - Logged models (MLFLOW_API.md §2.6)

    public func createLoggedModel(_ request: LoggedModelCreate) throws -> LoggedModel {
        let experimentID = try Validation.experimentID(request.experimentID)
        let tags = try Validation.tags(request.tags)
        let params = try Self.validatedModelParams(request.params)
        let modelID = "m-" + Self.newRunID()
        let name = request.name.flatMap { $0.isEmpty ? nil : $0 } ?? RunNameGenerator.make()
        return try write { db in
            guard let experiment = try db.queryOne(
                "SELECT lifecycle_stage, artifact_location FROM experiments WHERE experiment_id = \(experimentID)")
            else {
                throw StoreError.notFound("No Experiment with id=\(request.experimentID) exists")
            }
            guard experiment.string(0) == "active" else {
                throw StoreError.invalidParameter("The experiment \(request.experimentID) must be in the 'active' state.")
            }
            let location = "\(experiment.string(1))/models/\(modelID)/artifacts"
            let now = WallClock.nowMilliseconds()
            try db.execute(
                """
                INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_timestamp_ms,
                    last_updated_timestamp_ms, status, lifecycle_stage, model_type, source_run_id)
                VALUES (\(modelID), \(experimentID), \(name), \(location), \(now), \(now), \(LoggedModelStatus.pending.rawValue),
                    'active', \(request.modelType), \(request.sourceRunID))
                """)
            try Self.upsertModelTags(db, modelID, tags)
            try Self.insertModelParams(db, modelID, params)
            return try Self.loadLoggedModel(db, modelID, allowDeleted: false)
        }
    }

    public func getLoggedModel(id: String, allowDeleted: Bool) throws -> LoggedModel {
        try read { db in try Self.loadLoggedModel(db, id, allowDeleted: allowDeleted) }
    }

    public func finalizeLoggedModel(id: String, status: LoggedModelStatus) throws -> LoggedModel {
        try write { db in
            _ = try Self.loadLoggedModel(db, id, allowDeleted: false)
            try db.execute(
                """
                UPDATE logged_models SET status = \(status.rawValue), last_updated_timestamp_ms = \(WallClock.nowMilliseconds())
                WHERE model_id = \(id)
                """)
            return try Self.loadLoggedModel(db, id, allowDeleted: false)
        }
    }

    public func deleteLoggedModel(id: String) throws {
        try write { db in
            guard try db.execute(
                """
                UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = \(WallClock.nowMilliseconds())
                WHERE model_id = \(id) AND lifecycle_stage = 'active'
                """) == 1
            else {
                throw StoreError.notFound("Logged model with ID '\(id)' not found.")
            }
        }
    }

    public func setLoggedModelTags(id: String, tags: [KeyValue]) throws {
        let tags = try Validation.tags(tags)
        try write { db in
            _ = try Self.loadLoggedModel(db, id, allowDeleted: false)
            try Self.upsertModelTags(db, id, tags)
        }
    }

    public func deleteLoggedModelTag(id: String, key: String) throws {
        try write { db in
            _ = try Self.loadLoggedModel(db, id, allowDeleted: false)
            guard try db.execute("DELETE FROM logged_model_tags WHERE model_id = \(id) AND key = \(key)") == 1 else {
                throw StoreError.notFound("No tag with key '\(key)' on logged model '\(id)'.")
            }
        }
    }

    public func logLoggedModelParams(id: String, params: [KeyValue]) throws {
        let params = try Self.validatedModelParams(params)
        try write { db in
            _ = try Self.loadLoggedModel(db, id, allowDeleted: false)
            try Self.insertModelParams(db, id, params)
        }
    }

    public func searchLoggedModels(_ search: LoggedModelSearch) throws -> Page<LoggedModel> {
        try Validation.maxResults(search.maxResults)
        let offset = try PageToken.decode(search.pageToken)
        let experimentIDs = try search.experimentIDs.map(Validation.experimentID)
        let conditions = try Self.loggedModelConditions(
            FilterParser.parse(search.filter), datasets: search.datasets, dialect: dialect)
        let order = try Self.loggedModelOrder(search.orderBy)
        guard !experimentIDs.isEmpty else { return Page(items: [], nextPageToken: nil) }
        let limit = search.maxResults
        return try read { db in
            var sql: SQL = """
                SELECT lm.model_id FROM logged_models lm
                WHERE lm.experiment_id IN \(SQL.list(experimentIDs)) AND lm.lifecycle_stage = 'active'
                """
            for condition in conditions { sql.append(" AND " + condition) }
            sql.append(" ORDER BY \(order) LIMIT \(limit + 1) OFFSET \(offset)")
            let ids = try db.query(sql).map { $0.string(0) }
            let (page, next) = PageToken.page(ids, offset: offset, limit: limit)
            return Page(items: try page.map { try Self.loadLoggedModel(db, $0, allowDeleted: false) }, nextPageToken: next)
        }
    }

    // MARK: - Logged-model helpers

    static let loggedModelAttributes: [String: String] = [
        "name": "lm.name", "model_id": "lm.model_id", "model_type": "lm.model_type", "status": "lm.status",
        "source_run_id": "lm.source_run_id", "creation_timestamp": "lm.creation_timestamp_ms",
        "creation_time": "lm.creation_timestamp_ms", "last_updated_timestamp": "lm.last_updated_timestamp_ms",
        "last_updated_time": "lm.last_updated_timestamp_ms",
    ]

    static func loggedModelConditions(
        _ expression: FilterExpression, datasets: [LoggedModelDataset] = [], dialect: SQLDialect
    ) throws -> [SQL] {
        // `(x.dataset_name = ? AND x.dataset_digest = ? OR x.dataset_name = ? …)` for the metric rows.
        var onDatasets: SQL?
        if !datasets.isEmpty {
            let each = datasets.map { dataset -> SQL in
                if let digest = dataset.digest { return "(x.dataset_name = \(dataset.name) AND x.dataset_digest = \(digest))" }
                return "x.dataset_name = \(dataset.name)"
            }
            onDatasets = " AND (" + SQL.joined(each, separator: " OR ") + ")"
        }
        var conditions: [SQL] = try expression.comparisons.map { c in
            switch c.entity {
            case .attribute:
                guard let column = loggedModelAttributes[c.key] else {
                    throw StoreError.invalidParameter("Invalid filter: unknown logged model attribute '\(c.key)'")
                }
                if column.hasSuffix("_ms") {
                    guard case .number(let n, _) = c.value, let value = Int64(exactly: n),
                        c.op.isOrdering || c.op == .equal || c.op == .notEqual
                    else { throw SQLPredicates.invalid(c, "timestamps allow = != < <= > >= with an integer") }
                    return "\(unsafeSQL: column) \(unsafeSQL: c.op == .notEqual ? "<>" : c.op.rawValue) \(value)"
                }
                switch (c.op, c.value) {
                case (.in, .list(let values)), (.notIn, .list(let values)):
                    return SQLPredicates.list(column, c.op, values)
                case (.equal, .string(let v)), (.notEqual, .string(let v)), (.like, .string(let v)), (.ilike, .string(let v)):
                    return SQLPredicates.string(column, c.op, v, dialect: dialect)
                default:
                    throw SQLPredicates.invalid(c, "string attributes allow = != LIKE ILIKE IN NOT IN")
                }
            case .param, .tag:
                let table = c.entity == .param ? "logged_model_params" : "logged_model_tags"
                guard case .string(let v) = c.value, [.equal, .notEqual, .like, .ilike].contains(c.op) else {
                    throw SQLPredicates.invalid(c, "params and tags allow = != LIKE ILIKE with a quoted string")
                }
                let predicate = SQLPredicates.string("x.value", c.op, v, dialect: dialect)
                return "EXISTS (SELECT 1 FROM \(unsafeSQL: table) x WHERE x.model_id = lm.model_id AND x.key = \(c.key) AND \(predicate))"
            case .metric:
                guard case .number(let n, _) = c.value, c.op.isOrdering || c.op == .equal || c.op == .notEqual else {
                    throw SQLPredicates.invalid(c, "metrics are compared with numeric literals")
                }
                return """
                    EXISTS (SELECT 1 FROM logged_model_metrics x WHERE x.model_id = lm.model_id AND x.key = \(c.key) \
                    AND x.is_nan = 0 AND x.value \(unsafeSQL: c.op == .notEqual ? "<>" : c.op.rawValue) \(n)\(onDatasets ?? ""))
                    """
            case .dataset:
                throw StoreError.invalidParameter("Invalid filter: logged models cannot be filtered by '\(c.source)'")
            }
        }
        if let onDatasets, !expression.comparisons.contains(where: { $0.entity == .metric }) {
            conditions.append("EXISTS (SELECT 1 FROM logged_model_metrics x WHERE x.model_id = lm.model_id\(onDatasets))")
        }
        return conditions
    }

    /// ORDER BY for logged-models/search, as MLflow's SQL store orders: by attributes, or by a metric's latest value
    /// (by timestamp, then step, then run ID; NaN and missing values last); then newest first and by model ID.
    static func loggedModelOrder(_ orders: [LoggedModelOrder]) throws -> SQL {
        guard orders.count <= maxOrderByClauses else {
            throw StoreError.invalidParameter("order_by has \(orders.count) clauses; at most \(maxOrderByClauses) are accepted")
        }
        var parts: [SQL] = []
        var ordersByCreation = false
        var ordersByID = false
        for order in orders {
            let direction = order.ascending ? "ASC" : "DESC"
            if order.fieldName.hasPrefix("metrics.") {
                let key = String(order.fieldName.dropFirst("metrics.".count))
                guard !key.isEmpty else { throw StoreError.invalidParameter("Invalid order_by field '\(order.fieldName)'") }
                var latest: SQL = """
                    (SELECT CASE WHEN x.is_nan = 1 THEN NULL ELSE x.value END FROM logged_model_metrics x \
                    WHERE x.model_id = lm.model_id AND x.key = \(key)
                    """
                if let name = order.datasetName { latest.append(" AND x.dataset_name = \(name)") }
                if let digest = order.datasetDigest { latest.append(" AND x.dataset_digest = \(digest)") }
                latest.append(" ORDER BY x.timestamp DESC, x.step DESC, x.run_uuid ASC LIMIT 1)")
                parts.append("\(latest) \(unsafeSQL: direction) NULLS LAST")
                continue
            }
            guard let column = loggedModelAttributes[order.fieldName] else {
                throw StoreError.invalidParameter("Invalid order_by field '\(order.fieldName)' for logged models")
            }
            ordersByCreation = ordersByCreation || column == "lm.creation_timestamp_ms"
            ordersByID = ordersByID || column == "lm.model_id"
            parts.append("\(unsafeSQL: column) \(unsafeSQL: direction) NULLS LAST")
        }
        if !ordersByCreation { parts.append("lm.creation_timestamp_ms DESC") }
        if !ordersByID { parts.append("lm.model_id ASC") }
        return SQL.joined(parts, separator: ", ")
    }

    static func validatedModelParams(_ params: [KeyValue]) throws -> [KeyValue] {
        try params.map { param in
            try Validation.key(param.key, kind: "param")
            return KeyValue(key: param.key, value: Validation.truncated(param.value, limit: Validation.maxParamValueLength))
        }
    }

    static func upsertModelTags(_ db: any SQLSession, _ id: String, _ tags: [KeyValue]) throws {
        for tag in tags {
            try db.execute(
                """
                INSERT INTO logged_model_tags (model_id, key, value) VALUES (\(id), \(tag.key), \(tag.value))
                ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value
                """)
        }
    }

    static func insertModelParams(_ db: any SQLSession, _ id: String, _ params: [KeyValue]) throws {
        for param in params {
            try db.execute(
                """
                INSERT INTO logged_model_params (model_id, key, value) VALUES (\(id), \(param.key), \(param.value))
                ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value
                """)
        }
    }

    /// Metrics logged with a `model_id` are also the logged model's metrics, when that model exists.
    static func recordLoggedModelMetrics(_ db: any SQLSession, runID: String, metrics: [StoredMetric]) throws {
        let withModel = metrics.filter { $0.modelID != nil }
        guard !withModel.isEmpty else { return }
        let ids = Array(Set(withModel.compactMap(\.modelID)))
        let existing = Set(try db.query("SELECT model_id FROM logged_models WHERE model_id IN \(SQL.list(ids))").map { $0.string(0) })
        for m in withModel where existing.contains(m.modelID!) {
            try db.execute(
                """
                INSERT INTO logged_model_metrics (model_id, key, timestamp, step, value, is_nan, run_uuid, dataset_name,
                    dataset_digest)
                VALUES (\(m.modelID), \(m.key), \(m.timestamp), \(m.step), \(m.value), \(m.isNaN), \(runID), \(m.datasetName),
                    \(m.datasetDigest))
                ON CONFLICT DO NOTHING
                """)
        }
    }

    static func loadLoggedModel(_ db: any SQLSession, _ id: String, allowDeleted: Bool) throws -> LoggedModel {
        guard let row = try db.queryOne(
            """
            SELECT model_id, experiment_id, name, artifact_location, creation_timestamp_ms, last_updated_timestamp_ms,
                   status, status_message, model_type, source_run_id, lifecycle_stage
            FROM logged_models WHERE model_id = \(id)
            """), allowDeleted || row.string(10) == "active"
        else {
            throw StoreError.notFound("Logged model with ID '\(id)' not found.")
        }
        let tags = try db.query("SELECT key, value FROM logged_model_tags WHERE model_id = \(id) ORDER BY key").map {
            KeyValue(key: $0.string(0), value: $0.string(1))
        }
        let params = try db.query("SELECT key, value FROM logged_model_params WHERE model_id = \(id) ORDER BY key").map {
            KeyValue(key: $0.string(0), value: $0.string(1))
        }
        let metrics = try db.query(
            """
            SELECT key, value, timestamp, step, is_nan, run_uuid, dataset_name, dataset_digest
            FROM logged_model_metrics WHERE model_id = \(id) ORDER BY key, timestamp, step
            """
        ).map {
            LoggedModelMetric(
                metric: Metric(
                    key: $0.string(0), value: $0.bool(4) ? .nan : $0.double(1), timestamp: $0.int64(2), step: $0.int64(3),
                    modelID: id, datasetName: $0.optionalString(6), datasetDigest: $0.optionalString(7)),
                runID: $0.string(5))
        }
        return LoggedModel(
            modelID: row.string(0), experimentID: String(row.int64(1)), name: row.string(2), artifactURI: row.string(3),
            creationTimestamp: row.int64(4), lastUpdatedTimestamp: row.int64(5),
            status: LoggedModelStatus(rawValue: row.string(6)) ?? .unspecified, statusMessage: row.optionalString(7),
            modelType: row.optionalString(8), sourceRunID: row.optionalString(9),
            lifecycleStage: LifecycleStage(rawValue: row.string(10)) ?? .active, tags: tags, params: params,
            metrics: metrics)
    }
}
