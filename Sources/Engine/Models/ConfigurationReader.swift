public import JSON
/// Typed, throwing access to the fields of a Hugging Face-style config.json.
public struct ConfigurationReader: Sendable {
    /// The parsed document.
    public let json: JSONValue

    /// Wraps a parsed JSON object.
    public init(_ json: JSONValue) throws(ModelError) {
        guard json.objectValue != nil else { throw .invalidConfiguration("the configuration is not a JSON object") }
        self.json = json
    }

    /// Reads and parses the file at `path`.
    public init(path: String) throws(ModelError) {
        try self.init(ModelFiles.readJSON(path))
    }

    /// A positive integer field.
    public func positiveInteger(_ key: String) throws(ModelError) -> Int {
        guard let value = json[key]?.integerValue, value > 0, value <= Int64(Int32.max) else {
            throw .invalidConfiguration("\(key) must be a positive integer")
        }
        return Int(value)
    }

    /// A positive integer field, or `fallback` when absent.
    public func positiveInteger(_ key: String, default fallback: Int) throws(ModelError) -> Int {
        json[key] == nil ? fallback : try positiveInteger(key)
    }

    /// A non-negative integer field, or `fallback` when absent.
    public func nonNegativeInteger(_ key: String, default fallback: Int) throws(ModelError) -> Int {
        guard let field = json[key] else { return fallback }
        guard let value = field.integerValue, value >= 0, value <= Int64(Int32.max) else {
            throw .invalidConfiguration("\(key) must be a non-negative integer")
        }
        return Int(value)
    }

    /// A finite number field (integers accepted), or `fallback` when absent.
    public func number(_ key: String, default fallback: Double) throws(ModelError) -> Double {
        switch json[key] {
        case nil: return fallback
        case .int(let i)?: return Double(i)
        case .double(let d)? where d.isFinite: return d
        default: throw .invalidConfiguration("\(key) must be a number")
        }
    }

    /// A string field, or `fallback` when absent.
    public func string(_ key: String, default fallback: String) throws(ModelError) -> String {
        guard let value = json[key] else { return fallback }
        guard let text = value.stringValue else { throw .invalidConfiguration("\(key) must be a string") }
        return text
    }
}
