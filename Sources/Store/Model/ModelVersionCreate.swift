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
