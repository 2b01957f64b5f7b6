/// A quantization job (DESIGN.md "Data model"). `spec` and `bestSoFar` are JSON text, stored as given.
public struct Job: Sendable, Equatable {
    public var jobID: String
    public var experimentID: String
    public var spec: String
    public var state: JobState
    public var priority: Int64
    public var attempts: Int64
    public var leaseWorkerID: String?
    /// Only the current lease holder knows the token; progress and completion must present it.
    public var leaseToken: String?
    public var leaseExpiresAt: Int64?
    public var progressFraction: Double
    public var progressMessage: String
    public var bestSoFar: String?
    public var runID: String?
    public var error: String?
    public var createdAt: Int64
    public var updatedAt: Int64
    public var startedAt: Int64?
    public var finishedAt: Int64?
}
