/// Arguments of `logged-models/search` (MLFLOW_API.md §2.6, §4.4).
public struct LoggedModelSearch: Sendable {
    public var experimentIDs: [String]
    public var filter: String
    public var maxResults: Int
    public var orderBy: [LoggedModelOrder]
    public var pageToken: String?
    /// When set, metric comparisons count only metrics logged against one of these datasets, and without metric
    /// comparisons a model must have some metric on one of them (as MLflow's SQL store does).
    public var datasets: [LoggedModelDataset]

    public init(
        experimentIDs: [String], filter: String = "", maxResults: Int = 50, orderBy: [LoggedModelOrder] = [],
        pageToken: String? = nil, datasets: [LoggedModelDataset] = []
    ) {
        self.experimentIDs = experimentIDs
        self.filter = filter
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
        self.datasets = datasets
    }
}
