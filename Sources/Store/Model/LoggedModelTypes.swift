/// Logged-model status (MLFLOW_API.md App. C).
public enum LoggedModelStatus: String, Sendable, CaseIterable {
    case unspecified = "LOGGED_MODEL_STATUS_UNSPECIFIED"
    case pending = "LOGGED_MODEL_PENDING"
    case ready = "LOGGED_MODEL_READY"
    case uploadFailed = "LOGGED_MODEL_UPLOAD_FAILED"
}

/// A logged model (MLflow 3.x, MLFLOW_API.md §3.5): info plus params, tags and metrics.
public struct LoggedModel: Sendable, Equatable {
    public var modelID: String
    public var experimentID: String
    public var name: String
    public var artifactURI: String
    public var creationTimestamp: Int64
    public var lastUpdatedTimestamp: Int64
    public var status: LoggedModelStatus
    public var statusMessage: String?
    public var modelType: String?
    public var sourceRunID: String?
    public var lifecycleStage: LifecycleStage
    public var tags: [KeyValue]
    public var params: [KeyValue]
    /// Metrics logged with this model's `model_id`, as (metric, run_id).
    public var metrics: [LoggedModelMetric]
}

/// A metric recorded against a logged model.
public struct LoggedModelMetric: Sendable, Equatable {
    public var metric: Metric
    public var runID: String
}

/// The fields of `POST /logged-models`.
public struct LoggedModelCreate: Sendable {
    public var experimentID: String
    public var name: String?
    public var modelType: String?
    public var sourceRunID: String?
    public var params: [KeyValue]
    public var tags: [KeyValue]

    public init(
        experimentID: String, name: String? = nil, modelType: String? = nil, sourceRunID: String? = nil,
        params: [KeyValue] = [], tags: [KeyValue] = []
    ) {
        self.experimentID = experimentID
        self.name = name
        self.modelType = modelType
        self.sourceRunID = sourceRunID
        self.params = params
        self.tags = tags
    }
}

/// One `order_by` entry of `logged-models/search`.
public struct LoggedModelOrder: Sendable {
    public var fieldName: String
    public var ascending: Bool
    public init(fieldName: String, ascending: Bool = true) {
        self.fieldName = fieldName
        self.ascending = ascending
    }
}

/// Arguments of `logged-models/search` (MLFLOW_API.md §2.6, §4.4).
public struct LoggedModelSearch: Sendable {
    public var experimentIDs: [String]
    public var filter: String
    public var maxResults: Int
    public var orderBy: [LoggedModelOrder]
    public var pageToken: String?

    public init(
        experimentIDs: [String], filter: String = "", maxResults: Int = 50, orderBy: [LoggedModelOrder] = [],
        pageToken: String? = nil
    ) {
        self.experimentIDs = experimentIDs
        self.filter = filter
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}
