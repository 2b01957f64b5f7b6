/// One point of a metric's history in its stored form: NaN is value 0 with `isNaN` set and ±Infinity is clamped
/// (`Validation.storedMetric`), so ordering and equality are those of the SQL columns.
struct MetricPoint: Sendable, Hashable, Comparable {
    var timestamp: Int64
    var step: Int64
    var value: Double
    var isNaN: Bool

    /// get-history's order: timestamp, step, value (MLFLOW_API.md §2.5), then the NaN flag so equal points are adjacent.
    static func < (a: MetricPoint, b: MetricPoint) -> Bool {
        (a.timestamp, a.step, a.value, a.isNaN ? 1 : 0) < (b.timestamp, b.step, b.value, b.isNaN ? 1 : 0)
    }

    var metricValue: Double { isNaN ? .nan : value }
}
