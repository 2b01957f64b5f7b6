/// A `{key, value}` pair: experiment, run, input, registry and logged-model tags and params (MLFLOW_API.md §3.3).
public struct KeyValue: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}
