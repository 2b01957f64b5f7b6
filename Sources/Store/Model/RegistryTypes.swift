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

/// An alias pointing at a version: `{alias, version}`.
public struct ModelAlias: Sendable, Equatable {
    public var alias: String
    public var version: String
}

/// Model-version stages, canonicalised case-insensitively (MLFLOW_API.md §6).
public enum ModelStage: String, Sendable, CaseIterable {
    case none = "None"
    case staging = "Staging"
    case production = "Production"
    case archived = "Archived"

    /// Parses a stage name case-insensitively. - Throws: `.invalidParameter` for an unknown stage.
    public init(parsing text: String) throws {
        guard let stage = Self.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
            throw StoreError.invalidParameter(
                "Invalid Model Version stage: \(text). Value must be one of None, Staging, Production, Archived.")
        }
        self = stage
    }
}

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

/// The fields of `model-versions/create`.
public struct ModelVersionCreate: Sendable {
    public var name: String
    public var source: String
    public var runID: String?
    public var tags: [KeyValue]
    public var runLink: String?
    public var description: String?
    public var modelID: String?
    public var userID: String?

    public init(
        name: String, source: String, runID: String? = nil, tags: [KeyValue] = [], runLink: String? = nil,
        description: String? = nil, modelID: String? = nil, userID: String? = nil
    ) {
        self.name = name
        self.source = source
        self.runID = runID
        self.tags = tags
        self.runLink = runLink
        self.description = description
        self.modelID = modelID
        self.userID = userID
    }
}

/// Arguments of `registered-models/search` and `model-versions/search` (MLFLOW_API.md §4.4).
public struct RegistrySearch: Sendable {
    public var filter: String
    public var maxResults: Int
    public var orderBy: [String]
    public var pageToken: String?

    public init(filter: String = "", maxResults: Int = 100, orderBy: [String] = [], pageToken: String? = nil) {
        self.filter = filter
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}
