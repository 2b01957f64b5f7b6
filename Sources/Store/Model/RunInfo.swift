/// RunInfo (MLFLOW_API.md §3.2).
public struct RunInfo: Sendable, Equatable {
    public var runID: String
    public var runName: String
    public var experimentID: String
    public var userID: String
    public var status: RunStatus
    public var startTime: Int64
    public var endTime: Int64?
    public var artifactURI: String
    public var lifecycleStage: LifecycleStage
}
