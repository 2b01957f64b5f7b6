/// The arguments of `runs/search` (MLFLOW_API.md §2.2, §4.1–4.2).
public struct RunSearch: Sendable {
    public var experimentIDs: [String]
    public var filter: String
    public var viewType: ViewType
    public var maxResults: Int
    public var orderBy: [String]
    public var pageToken: String?

    public init(
        experimentIDs: [String], filter: String = "", viewType: ViewType = .activeOnly, maxResults: Int = 1000,
        orderBy: [String] = [], pageToken: String? = nil
    ) {
        self.experimentIDs = experimentIDs
        self.filter = filter
        self.viewType = viewType
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}
