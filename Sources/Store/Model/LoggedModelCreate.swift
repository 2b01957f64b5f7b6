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
