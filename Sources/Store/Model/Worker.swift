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
