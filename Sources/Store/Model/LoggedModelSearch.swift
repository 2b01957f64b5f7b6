/// Arguments of `logged-models/search` (MLFLOW_API.md §2.6, §4.4).
public struct LoggedModelSearch: Sendable {
    public var experimentIDs: [String]
    public var filter: String
    public var maxResults: Int
    public var orderBy: [LoggedModelOrder]
    public var pageToken: String?

    public init(
        experimentIDs: [String], filter: String = "", maxResults: Int = 50, orderBy: [LoggedModelOrder] = [],
        pageToken: String? = nil
    ) {
        self.experimentIDs = experimentIDs
        self.filter = filter
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}
