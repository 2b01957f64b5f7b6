import JSON
public import Store

/// The MLflow model registry RPCs (MLFLOW_API.md §6): registered models, versions, stages, tags and aliases.
/// Each RPC is served at the method the client calls first, plus the fallbacks it tries.
public enum RegistryRoutes {
    public static func register(on router: inout Router, store: any ModelRegistryStore) {
        registerModels(on: &router, store: store)
        registerVersions(on: &router, store: store)
    }

    private static func registerModels(on router: inout Router, store: any ModelRegistryStore) {
        MLflowRoutes.add(&router, .POST, "/registered-models/create") { r, _ in
            let model = try store.createRegisteredModel(
                name: try r.requiredNonEmptyString("name"), tags: try keyValues(r, "tags"),
                description: try r.string("description"), userID: nil)
            return ["registered_model": registeredModel(model)]
        }
        MLflowRoutes.add(&router, .GET, "/registered-models/get") { r, _ in
            ["registered_model": registeredModel(try store.getRegisteredModel(name: try r.requiredNonEmptyString("name")))]
        }
        MLflowRoutes.add(&router, .POST, "/registered-models/rename") { r, _ in
            let model = try store.renameRegisteredModel(name: try r.requiredNonEmptyString("name"), newName: try r.requiredNonEmptyString("new_name"))
            return ["registered_model": registeredModel(model)]
        }
        MLflowRoutes.add(&router, .PATCH, "/registered-models/update") { r, _ in
            let model = try store.updateRegisteredModel(name: try r.requiredNonEmptyString("name"), description: try r.string("description"))
            return ["registered_model": registeredModel(model)]
        }
        MLflowRoutes.add(&router, .DELETE, "/registered-models/delete") { r, _ in
            try store.deleteRegisteredModel(name: try r.requiredNonEmptyString("name"))
            return MLflowRoutes.empty
        }
        for method in [HTTPMethod.GET, .POST] {
            MLflowRoutes.add(&router, method, "/registered-models/search") { r, _ in
                let search = try registrySearch(r, defaultMax: 100, limit: 1000)
                return MLflowJSON.page("registered_models", try store.searchRegisteredModels(search), registeredModel)
            }
            // The client tries POST first and falls back to GET on ENDPOINT_NOT_FOUND (§1.7).
            MLflowRoutes.add(&router, method, "/registered-models/get-latest-versions") { r, _ in
                let versions = try store.getLatestVersions(name: try r.requiredNonEmptyString("name"), stages: try r.strings("stages"))
                return versions.isEmpty ? MLflowRoutes.empty : ["model_versions": .array(versions.map(modelVersion))]
            }
        }
        MLflowRoutes.add(&router, .POST, "/registered-models/set-tag") { r, _ in
            try store.setRegisteredModelTag(name: try r.requiredNonEmptyString("name"), key: try r.requiredNonEmptyString("key"), value: try r.string("value") ?? "")
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .DELETE, "/registered-models/delete-tag") { r, _ in
            try store.deleteRegisteredModelTag(name: try r.requiredNonEmptyString("name"), key: try r.requiredNonEmptyString("key"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/registered-models/alias") { r, _ in
            try store.setRegisteredModelAlias(
                name: try r.requiredNonEmptyString("name"), alias: try r.requiredNonEmptyString("alias"), version: try r.requiredNonEmptyString("version"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .DELETE, "/registered-models/alias") { r, _ in
            try store.deleteRegisteredModelAlias(name: try r.requiredNonEmptyString("name"), alias: try r.requiredNonEmptyString("alias"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .GET, "/registered-models/alias") { r, _ in
            let version = try store.getModelVersionByAlias(name: try r.requiredNonEmptyString("name"), alias: try r.requiredNonEmptyString("alias"))
            return ["model_version": modelVersion(version)]
        }
    }

    private static func registerVersions(on router: inout Router, store: any ModelRegistryStore) {
        MLflowRoutes.add(&router, .POST, "/model-versions/create") { r, _ in
            let create = ModelVersionCreate(
                name: try r.requiredNonEmptyString("name"), source: try r.requiredNonEmptyString("source"),
                runID: try r.string("run_id").flatMap { $0.isEmpty ? nil : $0 }, tags: try keyValues(r, "tags"),
                runLink: try r.string("run_link").flatMap { $0.isEmpty ? nil : $0 }, description: try r.string("description"),
                modelID: try r.string("model_id").flatMap { $0.isEmpty ? nil : $0 })
            return ["model_version": modelVersion(try store.createModelVersion(create))]
        }
        MLflowRoutes.add(&router, .GET, "/model-versions/get") { r, _ in
            ["model_version": modelVersion(try store.getModelVersion(name: try r.requiredNonEmptyString("name"), version: try r.requiredNonEmptyString("version")))]
        }
        MLflowRoutes.add(&router, .PATCH, "/model-versions/update") { r, _ in
            let version = try store.updateModelVersion(
                name: try r.requiredNonEmptyString("name"), version: try r.requiredNonEmptyString("version"), description: try r.string("description"))
            return ["model_version": modelVersion(version)]
        }
        MLflowRoutes.add(&router, .POST, "/model-versions/transition-stage") { r, _ in
            let version = try store.transitionModelVersionStage(
                name: try r.requiredNonEmptyString("name"), version: try r.requiredNonEmptyString("version"),
                stage: try r.requiredNonEmptyString("stage"), archiveExisting: try r.bool("archive_existing_versions") ?? false)
            return ["model_version": modelVersion(version)]
        }
        MLflowRoutes.add(&router, .DELETE, "/model-versions/delete") { r, _ in
            try store.deleteModelVersion(name: try r.requiredNonEmptyString("name"), version: try r.requiredNonEmptyString("version"))
            return MLflowRoutes.empty
        }
        for method in [HTTPMethod.GET, .POST] {
            MLflowRoutes.add(&router, method, "/model-versions/search") { r, _ in
                let search = try registrySearch(r, defaultMax: 200_000, limit: 200_000)
                return MLflowJSON.page("model_versions", try store.searchModelVersions(search), modelVersion)
            }
        }
        MLflowRoutes.add(&router, .GET, "/model-versions/get-download-uri") { r, _ in
            ["artifact_uri": .string(try store.getModelVersionDownloadURI(name: try r.requiredNonEmptyString("name"), version: try r.requiredNonEmptyString("version")))]
        }
        MLflowRoutes.add(&router, .POST, "/model-versions/set-tag") { r, _ in
            try store.setModelVersionTag(
                name: try r.requiredNonEmptyString("name"), version: try r.requiredNonEmptyString("version"),
                key: try r.requiredNonEmptyString("key"), value: try r.string("value") ?? "")
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .DELETE, "/model-versions/delete-tag") { r, _ in
            try store.deleteModelVersionTag(
                name: try r.requiredNonEmptyString("name"), version: try r.requiredNonEmptyString("version"), key: try r.requiredNonEmptyString("key"))
            return MLflowRoutes.empty
        }
    }

    private static func registrySearch(_ r: MLflowRequest, defaultMax: Int64, limit: Int64) throws -> RegistrySearch {
        let maxResults = try r.int64("max_results") ?? defaultMax
        guard maxResults > 0 && maxResults <= limit else {
            throw APIError(.invalidParameterValue, "Invalid value \(maxResults) for parameter 'max_results': it must be between 1 and \(limit)")
        }
        return RegistrySearch(
            filter: try r.string("filter") ?? "", maxResults: Int(maxResults), orderBy: try r.strings("order_by"),
            pageToken: try r.string("page_token").flatMap { $0.isEmpty ? nil : $0 })
    }

    private static func keyValues(_ r: MLflowRequest, _ name: String) throws -> [KeyValue] {
        try r.keyValues(name).map { KeyValue(key: $0.key, value: $0.value) }
    }

    static func registeredModel(_ model: RegisteredModel) -> JSONValue {
        var o = JSONObject()
        o.append("name", .string(model.name))
        o.append("creation_timestamp", .int(model.creationTimestamp))
        o.append("last_updated_timestamp", .int(model.lastUpdatedTimestamp))
        if let user = model.userID { o.append("user_id", .string(user)) }
        if let description = model.description { o.append("description", .string(description)) }
        if !model.latestVersions.isEmpty { o.append("latest_versions", .array(model.latestVersions.map(modelVersion))) }
        if !model.tags.isEmpty { o.append("tags", MLflowJSON.keyValues(model.tags)) }
        if !model.aliases.isEmpty {
            o.append("aliases", .array(model.aliases.map { ["alias": .string($0.alias), "version": .string($0.version)] }))
        }
        return .object(o)
    }

    /// `status` is always sent: a missing one reads as PENDING_REGISTRATION and makes the client wait 300 s.
    static func modelVersion(_ v: ModelVersion) -> JSONValue {
        var o = JSONObject()
        o.append("name", .string(v.name))
        o.append("version", .string(v.version))
        o.append("creation_timestamp", .int(v.creationTimestamp))
        o.append("last_updated_timestamp", .int(v.lastUpdatedTimestamp))
        if let user = v.userID { o.append("user_id", .string(user)) }
        o.append("current_stage", .string(v.currentStage.rawValue))
        if let description = v.description { o.append("description", .string(description)) }
        o.append("source", .string(v.source))
        if let run = v.runID { o.append("run_id", .string(run)) }
        o.append("status", .string(v.status))
        if let message = v.statusMessage { o.append("status_message", .string(message)) }
        if !v.tags.isEmpty { o.append("tags", MLflowJSON.keyValues(v.tags)) }
        if let link = v.runLink { o.append("run_link", .string(link)) }
        if !v.aliases.isEmpty { o.append("aliases", .array(v.aliases.map { .string($0) })) }
        if let model = v.modelID { o.append("model_id", .string(model)) }
        return .object(o)
    }
}
