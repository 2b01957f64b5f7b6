/// A registered model (MLFLOW_API.md §6).
public struct RegisteredModel: Sendable, Equatable {
    public var name: String
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var userID: String?
    public var description: String?
    /// The latest version per stage.
    public var latestVersions: [ModelVersion]
    public var tags: [KeyValue]
    public var aliases: [ModelAlias]
}
