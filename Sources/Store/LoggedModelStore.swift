/// MLflow 3.x logged models (MLFLOW_API.md §2.6). Synchronous and thread-safe; errors are `StoreError`.
public protocol LoggedModelStore: Sendable {
    /// Creates a model `m-<hex>` in LOGGED_MODEL_PENDING with artifact URI
    /// `<experiment artifact location>/models/<id>/artifacts`. The experiment must exist and be active.
    func createLoggedModel(_ request: LoggedModelCreate) throws -> LoggedModel
    /// - Throws: `.notFound`, also for a deleted model unless `allowDeleted`.
    func getLoggedModel(id: String, allowDeleted: Bool) throws -> LoggedModel
    /// Sets the status (the client's finalize PATCH) and returns the model.
    func finalizeLoggedModel(id: String, status: LoggedModelStatus) throws -> LoggedModel
    func deleteLoggedModel(id: String) throws
    func setLoggedModelTags(id: String, tags: [KeyValue]) throws
    func deleteLoggedModelTag(id: String, key: String) throws
    func logLoggedModelParams(id: String, params: [KeyValue]) throws
    /// Filter: attributes `name`, `model_id`, `model_type`, `status`, `source_run_id`, the creation and update
    /// timestamps, `params.<k>` and `tags.<k>`.
    func searchLoggedModels(_ search: LoggedModelSearch) throws -> Page<LoggedModel>
}
