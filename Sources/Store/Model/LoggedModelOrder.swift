/// One `order_by` entry of `logged-models/search`: an attribute, or `metrics.<key>` with an optional dataset.
public struct LoggedModelOrder: Sendable {
    public var fieldName: String
    public var ascending: Bool
    /// For `metrics.<key>`: order by the value logged against this dataset only.
    public var datasetName: String?
    public var datasetDigest: String?

    public init(fieldName: String, ascending: Bool = true, datasetName: String? = nil, datasetDigest: String? = nil) {
        self.fieldName = fieldName
        self.ascending = ascending
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
    }
}
