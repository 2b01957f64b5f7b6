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
