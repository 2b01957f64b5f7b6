/// One metric observation. NaN is kept as NaN; ±Inf are stored as ±Double.greatestFiniteMagnitude
/// (MLFLOW_API.md §2.3).
public struct Metric: Sendable, Equatable {
    public var key: String
    public var value: Double
    public var timestamp: Int64
    public var step: Int64
    public var modelID: String?
    public var datasetName: String?
    public var datasetDigest: String?

    public init(
        key: String, value: Double, timestamp: Int64, step: Int64 = 0, modelID: String? = nil,
        datasetName: String? = nil, datasetDigest: String? = nil
    ) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
        self.modelID = modelID
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
    }

    public static func == (a: Metric, b: Metric) -> Bool {
        a.key == b.key && a.timestamp == b.timestamp && a.step == b.step
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN)) && a.modelID == b.modelID
            && a.datasetName == b.datasetName && a.datasetDigest == b.datasetDigest
    }
}
