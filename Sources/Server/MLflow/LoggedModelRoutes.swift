import JSON
public import Store

/// MLflow 3.x logged-model RPCs (MLFLOW_API.md §2.6), which every `mlflow.<flavor>.log_model` and every
/// `runs:/` URI resolution calls.
public enum LoggedModelRoutes {
    public static func register(on router: inout Router, store: any LoggedModelStore, artifacts: ArtifactRoot) {
        MLflowRoutes.add(&router, .POST, "/logged-models") { r, _ in
            let create = LoggedModelCreate(
                experimentID: try r.requiredNonEmptyString("experiment_id"),
                name: try r.string("name").flatMap { $0.isEmpty ? nil : $0 },
                modelType: try r.string("model_type").flatMap { $0.isEmpty ? nil : $0 },
                sourceRunID: try r.string("source_run_id").flatMap { $0.isEmpty ? nil : $0 },
                params: try keyValues(r, "params"), tags: try keyValues(r, "tags"))
            return ["model": loggedModel(try store.createLoggedModel(create))]
        }
        // Literal paths are matched before `:model_id`, so "search" is never taken for an id (§8.22).
        MLflowRoutes.add(&router, .POST, "/logged-models/search") { r, _ in
            let orderBy = try r.objects("order_by").map {
                LoggedModelOrder(
                    fieldName: try $0.requiredNonEmptyString("field_name"), ascending: try $0.bool("ascending") ?? true,
                    datasetName: try $0.string("dataset_name"), datasetDigest: try $0.string("dataset_digest"))
            }
            let maxResults = try r.int64("max_results") ?? 50
            guard maxResults > 0 && maxResults <= TrackingRoutes.maxSearchResults else {
                throw APIError(.invalidParameterValue, "Invalid value \(maxResults) for parameter 'max_results'")
            }
            let search = LoggedModelSearch(
                experimentIDs: try r.strings("experiment_ids"), filter: try r.string("filter") ?? "",
                maxResults: Int(maxResults), orderBy: orderBy,
                pageToken: try r.string("page_token").flatMap { $0.isEmpty ? nil : $0 },
                datasets: try r.objects("datasets").map {
                    LoggedModelDataset(name: try $0.requiredNonEmptyString("dataset_name"), digest: try $0.string("dataset_digest"))
                })
            return MLflowJSON.page("models", try store.searchLoggedModels(search), loggedModel)
        }
        MLflowRoutes.add(&router, .GET, "/logged-models/:model_id") { r, request in
            let model = try store.getLoggedModel(id: try modelID(request), allowDeleted: try r.bool("allow_deleted") ?? false)
            return ["model": loggedModel(model)]
        }
        MLflowRoutes.add(&router, .PATCH, "/logged-models/:model_id") { r, request in
            guard let status: LoggedModelStatus = try r.enumeration("status", numbers: [0: .unspecified, 1: .pending, 2: .ready, 3: .uploadFailed]) else {
                throw MLflowRequest.missing("status")
            }
            return ["model": loggedModel(try store.finalizeLoggedModel(id: try modelID(request), status: status))]
        }
        MLflowRoutes.add(&router, .DELETE, "/logged-models/:model_id") { _, request in
            try store.deleteLoggedModel(id: try modelID(request))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .PATCH, "/logged-models/:model_id/tags") { r, request in
            try store.setLoggedModelTags(id: try modelID(request), tags: try keyValues(r, "tags"))
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .DELETE, "/logged-models/:model_id/tags/*tag_key") { _, request in
            try store.deleteLoggedModelTag(id: try modelID(request), key: request.pathParameters["tag_key"] ?? "")
            return MLflowRoutes.empty
        }
        MLflowRoutes.add(&router, .POST, "/logged-models/:model_id/params") { r, request in
            try store.logLoggedModelParams(id: try modelID(request), params: try keyValues(r, "params"))
            return MLflowRoutes.empty
        }
        // The UI's file browser for a model's artifacts.
        MLflowRoutes.add(&router, .GET, "/logged-models/:model_id/artifacts/directories") { r, request in
            let model = try store.getLoggedModel(id: try modelID(request), allowDeleted: false)
            let directory = try r.string("artifact_directory_path") ?? ""
            let rootSegments = try artifactSegments(of: model.artifactURI)
            let entries = try artifacts.list(rootSegments + ArtifactRoot.segments(of: directory))
            var o: JSONObject = ["root_uri": .string(model.artifactURI)]
            if !entries.isEmpty {
                o.append("files", .array(entries.map { entry in
                    var file: JSONObject = ["path": .string(directory.isEmpty ? entry.name : directory + "/" + entry.name), "is_dir": .bool(entry.isDirectory)]
                    if let size = entry.size { file.append("file_size", .int(size)) }
                    return .object(file)
                }))
            }
            return .object(o)
        }
    }

    private static func modelID(_ request: HTTPRequest) throws -> String {
        guard let id = request.pathParameters["model_id"], !id.isEmpty else { throw MLflowRequest.missing("model_id") }
        return id
    }

    private static func keyValues(_ r: MLflowRequest, _ name: String) throws -> [KeyValue] {
        try r.keyValues(name).map { KeyValue(key: $0.key, value: $0.value) }
    }

    /// The path below the artifact root that an `mlflow-artifacts:/…` URI names (MLFLOW_API.md §5.1).
    static func artifactSegments(of uri: String) throws -> [String] {
        guard uri.hasPrefix("mlflow-artifacts:") else {
            throw APIError(.invalidParameterValue, "Artifacts at '\(uri)' are not served by this server")
        }
        var path = uri.dropFirst("mlflow-artifacts:".count)
        // mlflow-artifacts://host/path names an authority; the path is what follows it.
        if path.hasPrefix("//") { path = path.dropFirst(2).drop { $0 != "/" } }
        return try ArtifactRoot.segments(of: String(path.drop { $0 == "/" }))
    }

    static func loggedModel(_ model: LoggedModel) -> JSONValue {
        var info = JSONObject()
        info.append("model_id", .string(model.modelID))
        info.append("experiment_id", .string(model.experimentID))
        info.append("name", .string(model.name))
        info.append("creation_timestamp_ms", .int(model.creationTimestamp))
        info.append("last_updated_timestamp_ms", .int(model.lastUpdatedTimestamp))
        info.append("artifact_uri", .string(model.artifactURI))
        info.append("status", .string(model.status.rawValue))
        if let type = model.modelType { info.append("model_type", .string(type)) }
        if let run = model.sourceRunID { info.append("source_run_id", .string(run)) }
        if let message = model.statusMessage { info.append("status_message", .string(message)) }
        if !model.tags.isEmpty { info.append("tags", MLflowJSON.keyValues(model.tags)) }
        var data = JSONObject()
        if !model.params.isEmpty { data.append("params", MLflowJSON.keyValues(model.params)) }
        if !model.metrics.isEmpty {
            data.append("metrics", .array(model.metrics.map { entry in
                guard case .object(var o) = MLflowJSON.metric(entry.metric) else { return .null }
                o.append("run_id", .string(entry.runID))
                if let name = entry.metric.datasetName { o.append("dataset_name", .string(name)) }
                if let digest = entry.metric.datasetDigest { o.append("dataset_digest", .string(digest)) }
                o.append("model_id", .string(model.modelID))
                return .object(o)
            }))
        }
        return ["info": .object(info), "data": .object(data)]
    }
}
