/// Job states: `QUEUED → RUNNING → SUCCEEDED | FAILED | CANCELLED` (DESIGN.md).
public enum JobState: String, Sendable, CaseIterable {
    case queued = "QUEUED"
    case running = "RUNNING"
    case succeeded = "SUCCEEDED"
    case failed = "FAILED"
    case cancelled = "CANCELLED"

    public var isTerminal: Bool { self == .succeeded || self == .failed || self == .cancelled }
}
