public import JSON
/// The fields of an MLflow RPC, read the way the official server reads them (MLFLOW_API.md §1.2–1.3): from the
/// query string for GET (repeated keys for arrays, `True`/`False` booleans, numbers as text) and from a JSON
/// object body otherwise (int64 as number or numeric string, enums by name or number). A field may be spelled
/// in snake_case or lowerCamelCase. Missing required fields and wrongly typed values are 400
/// INVALID_PARAMETER_VALUE, never a crash or a 500.
public struct MLflowRequest {
    private enum Source {
        case query(QueryParameters)
        case json(JSONObject)
    }

    private let source: Source

    public init(_ request: HTTPRequest) throws {
        if request.method == .GET || request.method == .HEAD {
            source = .query(request.query)
            return
        }
        if request.body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            source = .json(JSONObject())
            return
        }
        guard case .object(let object) = try JSONParser.parse(request.body) else {
            throw APIError(.invalidParameterValue, "The request body must be a JSON object")
        }
        source = .json(object)
    }

    /// A body that was already parsed, for callers that build requests in process.
    public init(json: JSONObject) {
        source = .json(json)
    }

    // MARK: - Scalars

    public func string(_ name: String) throws -> String? {
        switch source {
        case .query(let query): return try (query[name] ?? query[Self.camelCase(name)]).map { try Self.withoutNUL($0, name) }
        case .json:
            guard let value = value(name) else { return nil }
            switch value {
            case .string(let s): return try Self.withoutNUL(s, name)
            case .int(let i): return String(i)
            case .null: return nil
            default: throw invalidValue(name, value)
            }
        }
    }

    public func requiredString(_ name: String) throws -> String {
        guard let value = try string(name) else { throw Self.missing(name) }
        return value
    }

    /// A required string that must also be non-empty.
    public func requiredNonEmptyString(_ name: String) throws -> String {
        let value = try requiredString(name)
        guard !value.isEmpty else { throw Self.missing(name) }
        return value
    }

    public func int64(_ name: String) throws -> Int64? {
        switch source {
        case .query(let query):
            guard let text = query[name] ?? query[Self.camelCase(name)] else { return nil }
            guard let number = Int64(text) else { throw APIError(.invalidParameterValue, "Invalid value '\(text)' for parameter '\(name)': expected an integer") }
            return number
        case .json:
            guard let value = value(name), value != .null else { return nil }
            guard let number = value.int64Value else { throw invalidValue(name, value) }
            return number
        }
    }

    public func requiredInt64(_ name: String) throws -> Int64 {
        guard let value = try int64(name) else { throw Self.missing(name) }
        return value
    }

    /// A double, accepting MLflow's "NaN", "Infinity" and "-Infinity" strings (MLFLOW_API.md §1.3).
    public func double(_ name: String) throws -> Double? {
        switch source {
        case .query(let query):
            guard let text = query[name] else { return nil }
            guard let number = JSONValue.string(text).doubleValue else { throw APIError(.invalidParameterValue, "Invalid value '\(text)' for parameter '\(name)': expected a number") }
            return number
        case .json:
            guard let value = value(name), value != .null else { return nil }
            if case .bool = value { throw invalidValue(name, value) }
            guard let number = value.doubleValue else { throw invalidValue(name, value) }
            return number
        }
    }

    /// Booleans: JSON true/false, or `True`/`False`/`true`/`false` as text (the client sends Python's `str(bool)`).
    public func bool(_ name: String) throws -> Bool? {
        let text: String
        switch source {
        case .query(let query):
            guard let raw = query[name] ?? query[Self.camelCase(name)] else { return nil }
            text = raw
        case .json:
            guard let value = value(name), value != .null else { return nil }
            if case .bool(let b) = value { return b }
            guard case .string(let raw) = value else { throw invalidValue(name, value) }
            text = raw
        }
        switch text.lowercased() {
        case "true": return true
        case "false": return false
        default: throw APIError(.invalidParameterValue, "Invalid value '\(text)' for parameter '\(name)': expected true or false")
        }
    }

    /// An enum given by name or by its proto number.
    public func enumeration<E: RawRepresentable>(_ name: String, numbers: [Int64: E] = [:]) throws -> E? where E.RawValue == String {
        guard let raw = try stringOrNumber(name) else { return nil }
        if let number = Int64(raw), let value = numbers[number] { return value }
        guard let value = E(rawValue: raw.uppercased()) ?? E(rawValue: raw) else {
            throw APIError(.invalidParameterValue, "Invalid value '\(raw)' for parameter '\(name)'")
        }
        return value
    }

    private func stringOrNumber(_ name: String) throws -> String? {
        if case .json = source, let value = value(name), case .int(let i) = value { return String(i) }
        return try string(name)
    }

    // MARK: - Repeated and nested fields

    /// A repeated string field: a JSON array, or repeated query keys.
    public func strings(_ name: String) throws -> [String] {
        switch source {
        case .query(let query):
            let values = query.all(name)
            return try (values.isEmpty ? query.all(Self.camelCase(name)) : values).map { try Self.withoutNUL($0, name) }
        case .json:
            guard let value = value(name), value != .null else { return [] }
            if case .string(let single) = value { return [try Self.withoutNUL(single, name)] }
            guard case .array(let elements) = value else { throw invalidValue(name, value) }
            return try elements.map { element in
                switch element {
                case .string(let s): return try Self.withoutNUL(s, name)
                case .int(let i): return String(i)
                default: throw invalidValue(name, element)
                }
            }
        }
    }

    /// A repeated message field: a JSON array of objects. Absent in a GET.
    public func objects(_ name: String) throws -> [MLflowRequest] {
        guard case .json = source, let value = value(name), value != .null else { return [] }
        guard case .array(let elements) = value else { throw invalidValue(name, value) }
        return try elements.map { element in
            guard case .object(let object) = element else { throw invalidValue(name, element) }
            return MLflowRequest(json: object)
        }
    }

    /// A nested message field.
    public func object(_ name: String) throws -> MLflowRequest? {
        guard case .json = source, let value = value(name), value != .null else { return nil }
        guard case .object(let object) = value else { throw invalidValue(name, value) }
        return MLflowRequest(json: object)
    }

    /// `{key, value}` entries (tags, params); a missing value reads as "" as in proto2.
    public func keyValues(_ name: String) throws -> [(key: String, value: String)] {
        try objects(name).map { entry in (try entry.requiredString("key"), try entry.string("value") ?? "") }
    }

    // MARK: - Helpers

    private func value(_ name: String) -> JSONValue? {
        guard case .json(let object) = source else { return nil }
        if let value = object[name] { return value }
        var underscores = 0
        for byte in name.utf8 where byte == UInt8(ascii: "_") { underscores += 1 }
        guard underscores > 0 else { return nil }
        // The proto JSON name is the name less its underscores: members of another length are skipped without
        // comparing bytes (a 100-metric log-batch asks for three absent fields of every metric).
        let camelCaseLength = name.utf8.count - underscores
        return object.members.first { $0.key.utf8.count == camelCaseLength && Self.isCamelCase($0.key, of: name) }?.value
    }

    /// Text with U+0000 is refused: SQLite's and libpq's C-string interfaces would end the value there, so a
    /// name or value would be stored, or looked up, shorter than it was sent.
    private static func withoutNUL(_ text: String, _ name: String) throws -> String {
        guard !text.utf8.contains(0) else {
            throw APIError(.invalidParameterValue, "Invalid value for parameter '\(name)': NUL characters are not allowed")
        }
        return text
    }

    private func invalidValue(_ name: String, _ value: JSONValue) -> APIError {
        APIError(.invalidParameterValue, "Invalid value \(value.encodedString()) for parameter '\(name)' supplied")
    }

    static func missing(_ name: String) -> APIError {
        APIError(.invalidParameterValue,
                 "Missing value for required parameter '\(name)'. See the API docs for more information about request parameters.")
    }

    /// Whether `key` is `name`'s proto JSON name (`runId` for `run_id`), compared byte by byte without building it:
    /// a log-batch of 100 metrics looks for three absent optional fields in each (model_id, dataset_name,
    /// dataset_digest), and building each camelCase name as a String took over 10 % of the server's time (perf).
    static func isCamelCase(_ key: String, of name: String) -> Bool {
        var keyBytes = key.utf8.makeIterator()
        var upper = false
        for byte in name.utf8 {
            if byte == UInt8(ascii: "_") {
                upper = true
                continue
            }
            guard keyBytes.next() == (upper ? uppercased(byte) : byte) else { return false }
            upper = false
        }
        return keyBytes.next() == nil
    }

    /// `run_id` → `runId`, the proto JSON name the official parser also accepts (field names are ASCII).
    static func camelCase(_ name: String) -> String {
        guard name.utf8.contains(UInt8(ascii: "_")) else { return name }
        var out: [UInt8] = []
        out.reserveCapacity(name.utf8.count)
        var upper = false
        for byte in name.utf8 {
            if byte == UInt8(ascii: "_") {
                upper = true
            } else {
                out.append(upper ? uppercased(byte) : byte)
                upper = false
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func uppercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 32 : byte
    }
}
