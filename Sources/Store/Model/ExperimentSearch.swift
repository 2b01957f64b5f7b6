/// The arguments of `experiments/search` (MLFLOW_API.md §2.1, §4.3).
public struct ExperimentSearch: Sendable {
    public var filter: String
    public var viewType: ViewType
    public var maxResults: Int
    public var orderBy: [String]
    public var pageToken: String?

    public init(
        filter: String = "", viewType: ViewType = .activeOnly, maxResults: Int = 1000, orderBy: [String] = [],
        pageToken: String? = nil
    ) {
        self.filter = filter
        self.viewType = viewType
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}
