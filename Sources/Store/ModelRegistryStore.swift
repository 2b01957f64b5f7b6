/// The MLflow model registry: registered models, versions, stages, tags and aliases (MLFLOW_API.md §6).
/// Synchronous and thread-safe, like `TrackingStore`; errors are `StoreError`.
public protocol ModelRegistryStore: Sendable {
    /// - Throws: `.alreadyExists` (the client tolerates it in `register_model`), `.invalidParameter` for a bad name.
    func createRegisteredModel(name: String, tags: [KeyValue], description: String?, userID: String?) throws
        -> RegisteredModel
    /// - Throws: `.notFound` (the client relies on a RESOURCE_DOES_NOT_EXIST answer).
    func getRegisteredModel(name: String) throws -> RegisteredModel
    /// Renames the model and, through ON UPDATE CASCADE, its versions, tags and aliases.
    func renameRegisteredModel(name: String, newName: String) throws -> RegisteredModel
    func updateRegisteredModel(name: String, description: String?) throws -> RegisteredModel
    /// Deletes the model with its versions, tags and aliases.
    func deleteRegisteredModel(name: String) throws
    /// Filter: `name` (= != LIKE ILIKE IN NOT IN) and `tags.<k>`; order by name, timestamp, last_updated_timestamp.
    func searchRegisteredModels(_ search: RegistrySearch) throws -> Page<RegisteredModel>
    /// The latest version in each of `stages` (all stages when empty).
    func getLatestVersions(name: String, stages: [String]) throws -> [ModelVersion]
    func setRegisteredModelTag(name: String, key: String, value: String) throws
    func deleteRegisteredModelTag(name: String, key: String) throws
    /// Aliases: `[\w-]`, at most 255 chars; `latest` and `v<digits>` are reserved.
    func setRegisteredModelAlias(name: String, alias: String, version: String) throws
    func deleteRegisteredModelAlias(name: String, alias: String) throws
    func getModelVersionByAlias(name: String, alias: String) throws -> ModelVersion
    /// Creates version max+1 with status READY.
    func createModelVersion(_ request: ModelVersionCreate) throws -> ModelVersion
    func getModelVersion(name: String, version: String) throws -> ModelVersion
    func updateModelVersion(name: String, version: String, description: String?) throws -> ModelVersion
    /// `archiveExisting` is valid only for Staging and Production; other versions there move to Archived.
    func transitionModelVersionStage(name: String, version: String, stage: String, archiveExisting: Bool) throws
        -> ModelVersion
    /// Deletes the version and its aliases.
    func deleteModelVersion(name: String, version: String) throws
    /// Filter: `name`, `run_id` (both with IN), `source_path`, `version_number`, `tags.<k>`.
    func searchModelVersions(_ search: RegistrySearch) throws -> Page<ModelVersion>
    /// The storage location of the version's files.
    func getModelVersionDownloadURI(name: String, version: String) throws -> String
    func setModelVersionTag(name: String, version: String, key: String, value: String) throws
    func deleteModelVersionTag(name: String, version: String, key: String) throws
}

/// Every Store capability in one existential, for the server: `let store: any MixbitStore = try SQLStore.open(…)`.
public typealias MixbitStore = TrackingStore & ModelRegistryStore & LoggedModelStore & JobQueueStore
