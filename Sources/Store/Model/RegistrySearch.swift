/// Arguments of `registered-models/search` and `model-versions/search` (MLFLOW_API.md §4.4).
public struct RegistrySearch: Sendable {
    public var filter: String
    public var maxResults: Int
    public var orderBy: [String]
    public var pageToken: String?

    public init(filter: String = "", maxResults: Int = 100, orderBy: [String] = [], pageToken: String? = nil) {
        self.filter = filter
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}
