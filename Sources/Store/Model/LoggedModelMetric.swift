/// A metric recorded against a logged model.
public struct LoggedModelMetric: Sendable, Equatable {
    public var metric: Metric
    public var runID: String
}
