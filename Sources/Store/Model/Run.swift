/// A full run: info, latest metrics (one per key), params, tags, inputs and outputs.
public struct Run: Sendable, Equatable {
    public var info: RunInfo
    public var metrics: [Metric]
    public var params: [KeyValue]
    public var tags: [KeyValue]
    public var datasetInputs: [DatasetInput]
    public var modelInputs: [String]
    public var modelOutputs: [ModelOutput]
}
