/// A decoded query string: `application/x-www-form-urlencoded`, `+` as space, repeated keys kept in order
/// (the MLflow client sends `experiment_ids=1&experiment_ids=2` for repeated fields, MLFLOW_API.md §1.2).
public struct QueryParameters: Sendable, Equatable {
    public private(set) var items: [Item] = []

    public struct Item: Sendable, Equatable {
        public let name: String
        public let value: String
    }

    public init() {}

    /// Decodes a raw query. Fails on invalid percent-encoding rather than guessing.
    public init(decoding raw: String) throws(HTTPParseError) {
        for pair in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let name: Substring
            let value: Substring
            if let equals = pair.firstIndex(of: "=") {
                name = pair[..<equals]
                value = pair[pair.index(after: equals)...]
            } else {
                name = pair
                value = ""
            }
            guard let decodedName = PercentEncoding.decode(name, plusAsSpace: true),
                  let decodedValue = PercentEncoding.decode(value, plusAsSpace: true)
            else { throw .invalidPercentEncoding }
            items.append(Item(name: decodedName, value: decodedValue))
        }
    }

    /// The first value given for `name`; a scalar field takes the first (MLFLOW_API.md §1.2).
    public subscript(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// Every value given for `name`, in order.
    public func all(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    public var isEmpty: Bool { items.isEmpty }
}
