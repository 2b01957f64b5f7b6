/// Job states: `QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED` (DESIGN.md).
public enum JobState: String, Sendable, CaseIterable {
    case queued = "QUEUED"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    public var isTerminal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}

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

/// A worker process that leases jobs (DESIGN.md "Data model").
public struct Worker: Sendable, Equatable {
    public var workerID: String
    public var host: String
    public var cores: Int64
    public var accelerator: String?
    public var registeredAt: Int64
    public var lastHeartbeat: Int64

    public init(workerID: String, host: String, cores: Int64, accelerator: String?, registeredAt: Int64 = 0, lastHeartbeat: Int64 = 0) {
        self.workerID = workerID
        self.host = host
        self.cores = cores
        self.accelerator = accelerator
        self.registeredAt = registeredAt
        self.lastHeartbeat = lastHeartbeat
    }
}

/// A progress report from the lease holder.
public struct JobProgress: Sendable {
    public var fraction: Double
    public var message: String
    public var bestSoFar: String?
    public init(fraction: Double, message: String, bestSoFar: String? = nil) {
        self.fraction = fraction
        self.message = message
        self.bestSoFar = bestSoFar
    }
}
