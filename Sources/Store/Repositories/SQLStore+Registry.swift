import Foundation

extension SQLStore: ModelRegistryStore {
    // MARK: - Registered models (MLFLOW_API.md §6)

    public func createRegisteredModel(name: String, tags: [KeyValue], description: String?, userID: String?) throws
        -> RegisteredModel
    {
        try Self.validateModelName(name)
        let tags = try Validation.tags(tags)
        return try write { db in
            if try db.queryOne("SELECT 1 FROM registered_models WHERE name = \(name)") != nil {
                throw StoreError.alreadyExists("Registered Model (name=\(name)) already exists.")
            }
            let now = WallClock.nowMilliseconds()
            try db.execute(
                """
                INSERT INTO registered_models (name, creation_timestamp, last_updated_timestamp, description, user_id)
                VALUES (\(name), \(now), \(now), \(description), \(userID))
                """)
            for tag in tags {
                try db.execute("INSERT INTO registered_model_tags (name, key, value) VALUES (\(name), \(tag.key), \(tag.value))")
            }
            return try Self.loadRegisteredModel(db, name)
        }
    }

    public func getRegisteredModel(name: String) throws -> RegisteredModel {
        try read { db in try Self.loadRegisteredModel(db, name) }
    }

    public func renameRegisteredModel(name: String, newName: String) throws -> RegisteredModel {
        try Self.validateModelName(newName)
        return try write { db in
            try Self.requireRegisteredModel(db, name)
            if try db.queryOne("SELECT 1 FROM registered_models WHERE name = \(newName)") != nil {
                throw StoreError.alreadyExists("Registered Model (name=\(newName)) already exists.")
            }
            // Versions, tags and aliases follow through ON UPDATE CASCADE.
            try db.execute(
                """
                UPDATE registered_models SET name = \(newName), last_updated_timestamp = \(WallClock.nowMilliseconds())
                WHERE name = \(name)
                """)
            return try Self.loadRegisteredModel(db, newName)
        }
    }

    public func updateRegisteredModel(name: String, description: String?) throws -> RegisteredModel {
        try write { db in
            try Self.requireRegisteredModel(db, name)
            try db.execute(
                """
                UPDATE registered_models SET description = \(description), last_updated_timestamp = \(WallClock.nowMilliseconds())
                WHERE name = \(name)
                """)
            return try Self.loadRegisteredModel(db, name)
        }
    }

    public func deleteRegisteredModel(name: String) throws {
        try write { db in
            try Self.requireRegisteredModel(db, name)
            try db.execute("DELETE FROM registered_models WHERE name = \(name)")
        }
    }

    public func searchRegisteredModels(_ search: RegistrySearch) throws -> Page<RegisteredModel> {
        try Validation.maxResults(search.maxResults, limit: 1000)
        let offset = try PageToken.decode(search.pageToken)
        let conditions = try RegistryFilterCompiler(dialect: dialect, target: .registeredModels)
            .compile(FilterParser.parse(search.filter))
        let order = try Self.registryOrder(
            search.orderBy,
            columns: ["name": "rm.name", "timestamp": "rm.last_updated_timestamp",
                      "last_updated_timestamp": "rm.last_updated_timestamp"],
            defaults: ["rm.name ASC"])
        let limit = search.maxResults
        return try read { db in
            var sql: SQL = "SELECT rm.name FROM registered_models rm WHERE 1 = 1"
            for condition in conditions { sql.append(" AND " + condition) }
            sql.append(" ORDER BY \(unsafeSQL: order) LIMIT \(limit + 1) OFFSET \(offset)")
            let names = try db.query(sql).map { $0.string(0) }
            let (page, next) = PageToken.page(names, offset: offset, limit: limit)
            return Page(items: try page.map { try Self.loadRegisteredModel(db, $0) }, nextPageToken: next)
        }
    }

    public func getLatestVersions(name: String, stages: [String]) throws -> [ModelVersion] {
        let wanted = try stages.map { try ModelStage(parsing: $0) }
        return try read { db in
            try Self.requireRegisteredModel(db, name)
            return try Self.latestVersions(db, name, stages: wanted.isEmpty ? ModelStage.allCases : wanted)
        }
    }

    public func setRegisteredModelTag(name: String, key: String, value: String) throws {
        let tag = try Validation.tags([KeyValue(key: key, value: value)])[0]
        try write { db in
            try Self.requireRegisteredModel(db, name)
            try db.execute(
                """
                INSERT INTO registered_model_tags (name, key, value) VALUES (\(name), \(tag.key), \(tag.value))
                ON CONFLICT (name, key) DO UPDATE SET value = excluded.value
                """)
        }
    }

    public func deleteRegisteredModelTag(name: String, key: String) throws {
        try write { db in
            try Self.requireRegisteredModel(db, name)
            guard try db.execute("DELETE FROM registered_model_tags WHERE name = \(name) AND key = \(key)") == 1 else {
                throw StoreError.notFound("No tag with key '\(key)' on registered model '\(name)'")
            }
        }
    }

    // MARK: - Aliases

    public func setRegisteredModelAlias(name: String, alias: String, version: String) throws {
        try Self.validateAlias(alias)
        let number = try Self.versionNumber(version)
        try write { db in
            try Self.requireVersion(db, name, number)
            try db.execute(
                """
                INSERT INTO registered_model_aliases (name, alias, version) VALUES (\(name), \(alias), \(number))
                ON CONFLICT (name, alias) DO UPDATE SET version = excluded.version
                """)
        }
    }

    public func deleteRegisteredModelAlias(name: String, alias: String) throws {
        try write { db in
            try Self.requireRegisteredModel(db, name)
            guard try db.execute("DELETE FROM registered_model_aliases WHERE name = \(name) AND alias = \(alias)") == 1
            else {
                throw StoreError.notFound("Registered model alias \(alias) not found.")
            }
        }
    }

    public func getModelVersionByAlias(name: String, alias: String) throws -> ModelVersion {
        try read { db in
            try Self.requireRegisteredModel(db, name)
            guard let row = try db.queryOne(
                "SELECT version FROM registered_model_aliases WHERE name = \(name) AND alias = \(alias)")
            else {
                // MLflow answers a missing alias of an existing model with INVALID_PARAMETER_VALUE, not a 404.
                throw StoreError.invalidParameter("Registered model alias \(alias) not found.")
            }
            return try Self.loadVersion(db, name, row.int64(0))
        }
    }

    // MARK: - Model versions

    public func createModelVersion(_ request: ModelVersionCreate) throws -> ModelVersion {
        let tags = try Validation.tags(request.tags)
        guard !request.source.isEmpty else { throw StoreError.invalidParameter("Missing value for parameter 'source'") }
        return try write { db in
            try Self.requireRegisteredModel(db, request.name)
            let number = (try db.queryOne("SELECT MAX(version) FROM model_versions WHERE name = \(request.name)")?
                .optionalInt64(0) ?? 0) + 1
            // A models:/<model_id> source stores the logged model's artifact location and inherits its run.
            var storage = request.source
            var runID = request.runID
            let modelID = request.modelID ?? Self.loggedModelID(fromSource: request.source)
            if let modelID,
                let model = try db.queryOne(
                    "SELECT artifact_location, source_run_id FROM logged_models WHERE model_id = \(modelID)")
            {
                storage = model.string(0)
                if runID == nil || runID == "" { runID = model.optionalString(1) }
            }
            let now = WallClock.nowMilliseconds()
            try db.execute(
                """
                INSERT INTO model_versions (name, version, creation_timestamp, last_updated_timestamp, description, user_id,
                    current_stage, source, storage_location, run_id, run_link, status, model_id)
                VALUES (\(request.name), \(number), \(now), \(now), \(request.description), \(request.userID), 'None',
                    \(request.source), \(storage), \(runID), \(request.runLink), 'READY', \(request.modelID))
                """)
            for tag in tags {
                try db.execute(
                    "INSERT INTO model_version_tags (name, version, key, value) VALUES (\(request.name), \(number), \(tag.key), \(tag.value))")
            }
            try db.execute("UPDATE registered_models SET last_updated_timestamp = \(now) WHERE name = \(request.name)")
            if let modelID { try Self.recordRegistration(db, modelID: modelID, name: request.name, version: number) }
            return try Self.loadVersion(db, request.name, number)
        }
    }

    public func getModelVersion(name: String, version: String) throws -> ModelVersion {
        let number = try Self.versionNumber(version)
        return try read { db in try Self.loadVersion(db, name, number) }
    }

    public func updateModelVersion(name: String, version: String, description: String?) throws -> ModelVersion {
        let number = try Self.versionNumber(version)
        return try write { db in
            try Self.requireVersion(db, name, number)
            try db.execute(
                """
                UPDATE model_versions SET description = \(description), last_updated_timestamp = \(WallClock.nowMilliseconds())
                WHERE name = \(name) AND version = \(number)
                """)
            return try Self.loadVersion(db, name, number)
        }
    }

    public func transitionModelVersionStage(name: String, version: String, stage: String, archiveExisting: Bool)
        throws -> ModelVersion
    {
        let number = try Self.versionNumber(version)
        let target = try ModelStage(parsing: stage)
        if archiveExisting && target != .staging && target != .production {
            throw StoreError.invalidParameter(
                "Model version transition cannot archive existing model versions because '\(target.rawValue)' is not an Active stage.")
        }
        return try write { db in
            try Self.requireVersion(db, name, number)
            let now = WallClock.nowMilliseconds()
            if archiveExisting {
                try db.execute(
                    """
                    UPDATE model_versions SET current_stage = 'Archived', last_updated_timestamp = \(now)
                    WHERE name = \(name) AND current_stage = \(target.rawValue) AND version <> \(number)
                    """)
            }
            try db.execute(
                """
                UPDATE model_versions SET current_stage = \(target.rawValue), last_updated_timestamp = \(now)
                WHERE name = \(name) AND version = \(number)
                """)
            return try Self.loadVersion(db, name, number)
        }
    }

    public func deleteModelVersion(name: String, version: String) throws {
        let number = try Self.versionNumber(version)
        try write { db in
            try Self.requireVersion(db, name, number)
            // Aliases and tags go with it (ON DELETE CASCADE).
            try db.execute("DELETE FROM model_versions WHERE name = \(name) AND version = \(number)")
        }
    }

    public func searchModelVersions(_ search: RegistrySearch) throws -> Page<ModelVersion> {
        try Validation.maxResults(search.maxResults, limit: 200_000)
        let offset = try PageToken.decode(search.pageToken)
        let conditions = try RegistryFilterCompiler(dialect: dialect, target: .modelVersions)
            .compile(FilterParser.parse(search.filter))
        let order = try Self.registryOrder(
            search.orderBy,
            columns: ["name": "mv.name", "version_number": "mv.version", "creation_timestamp": "mv.creation_timestamp",
                      "last_updated_timestamp": "mv.last_updated_timestamp"],
            defaults: ["mv.last_updated_timestamp DESC", "mv.name ASC", "mv.version DESC"])
        let limit = search.maxResults
        return try read { db in
            var sql: SQL = "SELECT mv.name, mv.version FROM model_versions mv WHERE 1 = 1"
            for condition in conditions { sql.append(" AND " + condition) }
            sql.append(" ORDER BY \(unsafeSQL: order) LIMIT \(limit + 1) OFFSET \(offset)")
            let keys = try db.query(sql).map { ($0.string(0), $0.int64(1)) }
            let (page, next) = PageToken.page(keys, offset: offset, limit: limit)
            return Page(items: try page.map { try Self.loadVersion(db, $0.0, $0.1) }, nextPageToken: next)
        }
    }

    public func getModelVersionDownloadURI(name: String, version: String) throws -> String {
        try getModelVersion(name: name, version: version).storageLocation
    }

    public func setModelVersionTag(name: String, version: String, key: String, value: String) throws {
        let number = try Self.versionNumber(version)
        let tag = try Validation.tags([KeyValue(key: key, value: value)])[0]
        try write { db in
            try Self.requireVersion(db, name, number)
            try db.execute(
                """
                INSERT INTO model_version_tags (name, version, key, value) VALUES (\(name), \(number), \(tag.key), \(tag.value))
                ON CONFLICT (name, version, key) DO UPDATE SET value = excluded.value
                """)
        }
    }

    public func deleteModelVersionTag(name: String, version: String, key: String) throws {
        let number = try Self.versionNumber(version)
        try write { db in
            try Self.requireVersion(db, name, number)
            guard try db.execute(
                "DELETE FROM model_version_tags WHERE name = \(name) AND version = \(number) AND key = \(key)") == 1
            else {
                throw StoreError.notFound("No tag with key '\(key)' on model version \(name)/\(version)")
            }
        }
    }

    // MARK: - Registry helpers

    static func validateModelName(_ name: String) throws {
        guard !name.isEmpty else { throw StoreError.invalidParameter("Registered model name cannot be empty.") }
        guard !name.contains("/"), !name.contains(":") else {
            throw StoreError.invalidParameter("Invalid name: '\(name)'. Registered model names cannot contain '/' or ':'.")
        }
    }


    /// Aliases: `[\w-]`, at most 255 chars; `latest` and `v<digits>` are reserved (MLFLOW_API.md §6).
    static func validateAlias(_ alias: String) throws {
        let valid = !alias.isEmpty && alias.count <= 255
            && alias.unicodeScalars.allSatisfy { $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-" }
        let lower = alias.lowercased()
        let reserved = lower == "latest" || (lower.hasPrefix("v") && lower.count > 1 && lower.dropFirst().allSatisfy(\.isNumber))
        guard valid, !reserved else {
            throw StoreError.invalidParameter("Invalid alias name: '\(alias)'.")
        }
    }

    static func versionNumber(_ version: String) throws -> Int64 {
        guard let number = Int64(version), number > 0 else {
            throw StoreError.invalidParameter("Model version must be a positive integer, got '\(version)'.")
        }
        return number
    }

    static func loggedModelID(fromSource source: String) -> String? {
        guard source.hasPrefix("models:/") else { return nil }
        let rest = source.dropFirst("models:/".count)
        return rest.hasPrefix("m-") && !rest.contains("/") ? String(rest) : nil
    }

    static func requireRegisteredModel(_ db: any SQLSession, _ name: String) throws {
        guard try db.queryOne("SELECT 1 FROM registered_models WHERE name = \(name)") != nil else {
            throw StoreError.notFound("Registered Model with name=\(name) not found")
        }
    }

    static func requireVersion(_ db: any SQLSession, _ name: String, _ version: Int64) throws {
        guard try db.queryOne("SELECT 1 FROM model_versions WHERE name = \(name) AND version = \(version)") != nil else {
            throw StoreError.notFound("Model Version (name=\(name), version=\(version)) not found")
        }
    }

    /// The official server tags the logged model with `mlflow.modelVersions` after a registration.
    static func recordRegistration(_ db: any SQLSession, modelID: String, name: String, version: Int64) throws {
        guard try db.queryOne("SELECT 1 FROM logged_models WHERE model_id = \(modelID)") != nil else { return }
        let existing = try db.queryOne(
            "SELECT value FROM logged_model_tags WHERE model_id = \(modelID) AND key = 'mlflow.modelVersions'")?.string(0)
        var list = (existing.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) } as? [[String: String]]) ?? []
        list.append(["name": name, "version": String(version)])
        let json = String(decoding: try JSONSerialization.data(withJSONObject: list, options: [.sortedKeys]), as: UTF8.self)
        try db.execute(
            """
            INSERT INTO logged_model_tags (model_id, key, value) VALUES (\(modelID), 'mlflow.modelVersions', \(json))
            ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value
            """)
    }

    static func registryOrder(_ clauses: [String], columns: [String: String], defaults: [String]) throws -> String {
        var parts: [String] = []
        var used: Set<String> = []
        for text in clauses {
            let clause = try OrderByClause.parse(text)
            guard clause.entity == .attribute, let column = columns[clause.key] else {
                throw StoreError.invalidParameter("Invalid order_by clause '\(text)'")
            }
            guard used.insert(column).inserted else {
                throw StoreError.invalidParameter("order_by contains duplicate fields: '\(clause.key)'")
            }
            parts.append("\(column) \(clause.ascending ? "ASC" : "DESC")")
        }
        if parts.isEmpty { return defaults.joined(separator: ", ") }
        // Tie-breakers from the defaults keep pages stable.
        for d in defaults where !used.contains(String(d.split(separator: " ")[0])) { parts.append(d) }
        return parts.joined(separator: ", ")
    }

    static func loadRegisteredModel(_ db: any SQLSession, _ name: String) throws -> RegisteredModel {
        guard let row = try db.queryOne(
            """
            SELECT name, creation_timestamp, last_updated_timestamp, description, user_id
            FROM registered_models WHERE name = \(name)
            """)
        else {
            throw StoreError.notFound("Registered Model with name=\(name) not found")
        }
        let tags = try db.query("SELECT key, value FROM registered_model_tags WHERE name = \(name) ORDER BY key").map {
            KeyValue(key: $0.string(0), value: $0.string(1))
        }
        let aliases = try db.query(
            "SELECT alias, version FROM registered_model_aliases WHERE name = \(name) ORDER BY alias"
        ).map { ModelAlias(alias: $0.string(0), version: String($0.int64(1))) }
        return RegisteredModel(
            name: row.string(0), creationTimestamp: row.int64(1), lastUpdatedTimestamp: row.int64(2),
            userID: row.optionalString(4), description: row.optionalString(3),
            latestVersions: try latestVersions(db, name, stages: ModelStage.allCases), tags: tags, aliases: aliases)
    }

    static func latestVersions(_ db: any SQLSession, _ name: String, stages: [ModelStage]) throws -> [ModelVersion] {
        let rows = try db.query(
            """
            SELECT MAX(version) FROM model_versions
            WHERE name = \(name) AND current_stage IN \(SQL.list(stages.map(\.rawValue))) GROUP BY current_stage
            """)
        return try rows.map { $0.int64(0) }.sorted().map { try loadVersion(db, name, $0) }
    }

    static func loadVersion(_ db: any SQLSession, _ name: String, _ version: Int64) throws -> ModelVersion {
        guard let row = try db.queryOne(
            """
            SELECT name, version, creation_timestamp, last_updated_timestamp, user_id, current_stage, description, source,
                   storage_location, run_id, run_link, status, status_message, model_id
            FROM model_versions WHERE name = \(name) AND version = \(version)
            """)
        else {
            throw StoreError.notFound("Model Version (name=\(name), version=\(version)) not found")
        }
        let tags = try db.query(
            "SELECT key, value FROM model_version_tags WHERE name = \(name) AND version = \(version) ORDER BY key"
        ).map { KeyValue(key: $0.string(0), value: $0.string(1)) }
        let aliases = try db.query(
            "SELECT alias FROM registered_model_aliases WHERE name = \(name) AND version = \(version) ORDER BY alias"
        ).map { $0.string(0) }
        return ModelVersion(
            name: row.string(0), version: String(row.int64(1)), creationTimestamp: row.int64(2),
            lastUpdatedTimestamp: row.int64(3), userID: row.optionalString(4),
            currentStage: ModelStage(rawValue: row.string(5)) ?? .none, description: row.optionalString(6),
            source: row.string(7), storageLocation: row.string(8), runID: row.optionalString(9),
            runLink: row.optionalString(10), status: row.string(11), statusMessage: row.optionalString(12), tags: tags,
            aliases: aliases, modelID: row.optionalString(13))
    }
}
