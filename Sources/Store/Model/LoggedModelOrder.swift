/// One `order_by` entry of `logged-models/search`.
public struct LoggedModelOrder: Sendable {
    public var fieldName: String
    public var ascending: Bool
    public init(fieldName: String, ascending: Bool = true) {
        self.fieldName = fieldName
        self.ascending = ascending
    }
}
