extension SQLStore: TrackingStore {
    // MARK: - Experiments (MLFLOW_API.md §2.1)

    public func createExperiment(name: String, artifactLocation: String?, tags: [KeyValue]) throws -> String {
        try Validation.experimentName(name)
        let tags = try Self.validatedExperimentTags(tags)
        let root = options.defaultArtifactRoot
        return try write { db in
            // Names are unique across active and deleted experiments.
            if try db.queryOne("SELECT 1 FROM experiments WHERE name = \(name)") != nil {
                throw StoreError.alreadyExists("Experiment(name=\(name)) already exists.")
            }
            let now = WallClock.nowMilliseconds()
            let id = try db.queryOne(
                """
                INSERT INTO experiments (name, artifact_location, lifecycle_stage, creation_time, last_update_time)
                VALUES (\(name), \(artifactLocation ?? ""), 'active', \(now), \(now)) RETURNING experiment_id
                """)!.int64(0)
            if artifactLocation == nil || artifactLocation == "" {
                let location = "\(root)/\(id)"
                try db.execute("UPDATE experiments SET artifact_location = \(location) WHERE experiment_id = \(id)")
            }
            for tag in tags {
                try db.execute(
                    "INSERT INTO experiment_tags (experiment_id, key, value) VALUES (\(id), \(tag.key), \(tag.value))")
            }
            return String(id)
        }
    }

    public func getExperiment(id: String) throws -> Experiment {
        let numericID = try Validation.experimentID(id)
        return try read { db in
            guard let experiment = try Self.loadExperiments(db, where: "e.experiment_id = \(numericID)").first else {
                throw StoreError.notFound("No Experiment with id=\(id) exists")
            }
            return experiment
        }
    }

    public func getExperiment(name: String) throws -> Experiment {
        try read { db in
            guard let experiment = try Self.loadExperiments(db, where: "e.name = \(name)").first else {
                throw StoreError.notFound("Could not find experiment with name '\(name)'")
            }
            return experiment
        }
    }

    public func searchExperiments(_ search: ExperimentSearch) throws -> Page<Experiment> {
        try Validation.maxResults(search.maxResults)
        let offset = try PageToken.decode(search.pageToken)
        let conditions = try ExperimentFilterCompiler(dialect: dialect).compile(FilterParser.parse(search.filter))
        let order = try Self.experimentOrder(search.orderBy)
        let stages = search.viewType.stages
        let limit = search.maxResults
        return try read { db in
            var condition: SQL = "e.lifecycle_stage IN \(SQL.list(stages))"
            for c in conditions { condition = condition + " AND " + c }
            let rows = try Self.loadExperiments(
                db, where: condition, orderBy: order, limit: limit + 1, offset: offset)
            let (items, next) = PageToken.page(rows, offset: offset, limit: limit)
            return Page(items: items, nextPageToken: next)
        }
    }

    public func renameExperiment(id: String, newName: String) throws {
        let numericID = try Validation.experimentID(id)
        try Validation.experimentName(newName)
        try write { db in
            let stage = try Self.experimentStage(db, numericID, id)
            guard stage == "active" else {
                throw StoreError.invalidState("Cannot rename a non-active experiment (id=\(id))")
            }
            if try db.queryOne(
                "SELECT 1 FROM experiments WHERE name = \(newName) AND experiment_id <> \(numericID)") != nil
            {
                throw StoreError.alreadyExists("Experiment(name=\(newName)) already exists.")
            }
            try db.execute(
                """
                UPDATE experiments SET name = \(newName), last_update_time = \(WallClock.nowMilliseconds())
                WHERE experiment_id = \(numericID)
                """)
        }
    }

    public func deleteExperiment(id: String) throws {
        try setExperimentStage(id: id, from: "active", to: "deleted")
    }

    public func restoreExperiment(id: String) throws {
        try setExperimentStage(id: id, from: "deleted", to: "active")
    }

    /// delete and restore move the experiment and all its runs together (MLFLOW_API.md §2.1).
    private func setExperimentStage(id: String, from: String, to: String) throws {
        let numericID = try Validation.experimentID(id)
        try write { db in
            let changed = try db.execute(
                """
                UPDATE experiments SET lifecycle_stage = \(to), last_update_time = \(WallClock.nowMilliseconds())
                WHERE experiment_id = \(numericID) AND lifecycle_stage = \(from)
                """)
            guard changed == 1 else {
                throw StoreError.notFound("No Experiment with id=\(id) and lifecycle stage '\(from)' exists")
            }
            try db.execute(
                "UPDATE runs SET lifecycle_stage = \(to) WHERE experiment_id = \(numericID) AND lifecycle_stage = \(from)")
        }
    }

    public func setExperimentTag(id: String, key: String, value: String) throws {
        let numericID = try Validation.experimentID(id)
        let tag = try Self.validatedExperimentTags([KeyValue(key: key, value: value)])[0]
        try write { db in
            guard try Self.experimentStage(db, numericID, id) == "active" else {
                throw StoreError.invalidParameter("The experiment \(id) must be in the 'active' state")
            }
            try db.execute(
                """
                INSERT INTO experiment_tags (experiment_id, key, value) VALUES (\(numericID), \(tag.key), \(tag.value))
                ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value
                """)
        }
    }

    public func deleteExperimentTag(id: String, key: String) throws {
        let numericID = try Validation.experimentID(id)
        try write { db in
            _ = try Self.experimentStage(db, numericID, id)
            let changed = try db.execute(
                "DELETE FROM experiment_tags WHERE experiment_id = \(numericID) AND key = \(key)")
            guard changed == 1 else {
                throw StoreError.notFound("No tag with name: \(key) in experiment with id \(id)")
            }
        }
    }

    // MARK: - Experiment helpers

    static func experimentStage(_ db: any SQLSession, _ id: Int64, _ display: String) throws -> String {
        guard let row = try db.queryOne("SELECT lifecycle_stage FROM experiments WHERE experiment_id = \(id)") else {
            throw StoreError.notFound("No Experiment with id=\(display) exists")
        }
        return row.string(0)
    }

    static func validatedExperimentTags(_ tags: [KeyValue]) throws -> [KeyValue] {
        var byKey: [String: String] = [:]
        var order: [String] = []
        for tag in tags {
            try Validation.key(tag.key, kind: "tag")
            guard tag.value.count <= Validation.maxExperimentTagValueLength else {
                throw StoreError.invalidParameter(
                    "Experiment tag '\(tag.key)' value had length \(tag.value.count), which exceeded length limit of "
                        + "\(Validation.maxExperimentTagValueLength)")
            }
            if byKey[tag.key] == nil { order.append(tag.key) }
            byKey[tag.key] = tag.value
        }
        return order.map { KeyValue(key: $0, value: byKey[$0]!) }
    }

    /// `order_by` for experiments/search (MLFLOW_API.md §4.3), as whitelisted column expressions.
    static func experimentOrder(_ clauses: [String]) throws -> String {
        let columns = [
            "name": "e.name", "experiment_id": "e.experiment_id", "creation_time": "e.creation_time",
            "last_update_time": "e.last_update_time",
        ]
        var parts: [String] = []
        var used: Set<String> = []
        for text in clauses {
            let clause = try OrderByClause.parse(text)
            guard clause.entity == .attribute, let column = columns[clause.key] else {
                throw StoreError.invalidParameter("Invalid order_by clause '\(text)': cannot order experiments by it")
            }
            guard used.insert(column).inserted else {
                throw StoreError.invalidParameter("order_by contains duplicate fields: '\(clause.key)'")
            }
            parts.append("\(column) \(clause.ascending ? "ASC" : "DESC")")
        }
        if parts.isEmpty { parts.append("e.creation_time DESC") }
        if !used.contains("e.experiment_id") { parts.append("e.experiment_id ASC") }
        return parts.joined(separator: ", ")
    }

    static func loadExperiments(
        _ db: any SQLSession, where condition: SQL, orderBy: String = "e.experiment_id", limit: Int? = nil,
        offset: Int = 0
    ) throws -> [Experiment] {
        var sql: SQL = """
            SELECT e.experiment_id, e.name, e.artifact_location, e.lifecycle_stage, e.creation_time,
                   e.last_update_time
            FROM experiments e WHERE \(condition) ORDER BY \(unsafeSQL: orderBy)
            """
        if let limit { sql = sql + " LIMIT \(limit) OFFSET \(offset)" }
        var experiments = try db.query(sql).map { row in
            Experiment(
                experimentID: String(row.int64(0)), name: row.string(1), artifactLocation: row.string(2),
                lifecycleStage: LifecycleStage(rawValue: row.string(3)) ?? .active, creationTime: row.int64(4),
                lastUpdateTime: row.int64(5), tags: [])
        }
        guard !experiments.isEmpty else { return [] }
        var index: [String: Int] = [:]
        for (i, e) in experiments.enumerated() { index[e.experimentID] = i }
        for chunk in chunks(experiments.map { Int64($0.experimentID)! }, of: 500) {
            let tags = try db.query(
                "SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN \(SQL.list(Array(chunk))) ORDER BY key")
            for row in tags {
                if let i = index[String(row.int64(0))] {
                    experiments[i].tags.append(KeyValue(key: row.string(1), value: row.string(2)))
                }
            }
        }
        return experiments
    }
}
