/// A dataset used by a run, with input tags such as `mlflow.data.context`.
public struct DatasetInput: Sendable, Equatable {
    public var dataset: Dataset
    public var tags: [KeyValue]
    public init(dataset: Dataset, tags: [KeyValue] = []) {
        self.dataset = dataset
        self.tags = tags
    }
}
