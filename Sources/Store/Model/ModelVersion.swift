/// A model version (MLFLOW_API.md §6). `version` is a string, as on the wire; `status` is always READY.
public struct ModelVersion: Sendable, Equatable {
    public var name: String
    public var version: String
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var userID: String?
    public var currentStage: ModelStage
    public var description: String?
    public var source: String
    /// Where the files are: the logged model's artifact location for a `models:/<id>` source, else `source`.
    public var storageLocation: String
    public var runID: String?
    public var runLink: String?
    public var status: String
    public var statusMessage: String?
    public var tags: [KeyValue]
    public var aliases: [String]
    public var modelID: String?
}
