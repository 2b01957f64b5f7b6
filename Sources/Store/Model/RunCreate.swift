/// The fields of `runs/create`.
public struct RunCreate: Sendable {
    public var experimentID: String
    public var userID: String
    public var runName: String?
    public var startTime: Int64
    public var tags: [KeyValue]

    public init(
        experimentID: String = "0", userID: String = "unknown", runName: String? = nil, startTime: Int64,
        tags: [KeyValue] = []
    ) {
        self.experimentID = experimentID
        self.userID = userID
        self.runName = runName
        self.startTime = startTime
        self.tags = tags
    }
}
