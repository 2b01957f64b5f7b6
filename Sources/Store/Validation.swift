/// MLflow's validation rules for names, keys and values (MLFLOW_API.md §2.3), applied once, in the Store.
enum Validation {
    static let maxEntityKeyLength = 250
    static let maxParamValueLength = 6000
    static let maxTagValueLength = 8000
    static let maxExperimentNameLength = 500
    static let maxExperimentTagValueLength = 20000
    static let maxBatchMetrics = 1000
    static let maxBatchParams = 100
    static let maxBatchTags = 100
    static let maxBatchEntities = 1000
    static let maxSearchResults = 50000

    /// Keys: non-empty, ≤ 250 chars, characters `[/\w.\- :]`, and "path-unique": `posixpath.normpath(key) == key`,
    /// not ".", not starting with ".." or "/" (MLflow `utils/validation.py`).
    static func key(_ key: String, kind: String) throws {
        guard !key.isEmpty else { throw StoreError.invalidParameter("Missing value for parameter '\(kind) key'") }
        // Most keys are short ASCII: checked byte by byte, since Character counting and Unicode property lookups
        // were a visible share of runs/create (perf). Anything else takes the general path below.
        if key.utf8.count <= maxEntityKeyLength, key.utf8.allSatisfy(isAllowedASCIIKeyByte) {
            guard isPathUnique(key) else { throw invalidKey(key, kind: kind) }
            return
        }
        guard key.count <= maxEntityKeyLength else {
            throw StoreError.invalidParameter(
                "\(kind) key '\(key.prefix(50))...' had length \(key.count), which exceeded length limit of \(maxEntityKeyLength)")
        }
        let allowed = key.unicodeScalars.allSatisfy { scalar in
            scalar.properties.isAlphabetic || scalar.properties.numericType != nil || "_/.- :".unicodeScalars.contains(scalar)
        }
        guard allowed, isPathUnique(key) else { throw invalidKey(key, kind: kind) }
    }

    /// The ASCII bytes the key rule allows: letters, digits and `_/.- :`.
    private static func isAllowedASCIIKeyByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "."),
            UInt8(ascii: "-"), UInt8(ascii: " "), UInt8(ascii: ":"):
            return true
        default:
            return false
        }
    }

    private static func invalidKey(_ key: String, kind: String) -> StoreError {
        StoreError.invalidParameter(
            "Invalid \(kind) name: '\(key)'. Names may only contain alphanumerics, underscores (_), dashes (-), "
                + "periods (.), spaces ( ), colons (:) and slashes (/), and must be a normalized path")
    }

    private static func isPathUnique(_ key: String) -> Bool {
        if key == "." || key.hasPrefix("..") || key.hasPrefix("/") || key.hasSuffix("/") { return false }
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        return !parts.contains { $0.isEmpty || $0 == "." || $0 == ".." }
    }

    /// Over-long param and tag values are truncated, not rejected: MLFLOW_TRUNCATE_LONG_VALUES defaults to true.
    /// Run, registry and logged-model tags: valid keys, long values truncated (MLFLOW_API.md §2.3), and a key
    /// given twice keeps its last value in the position of its first.
    static func tags(_ tags: [KeyValue]) throws -> [KeyValue] {
        var byKey: [String: String] = [:]
        var order: [String] = []
        for tag in tags {
            try key(tag.key, kind: "tag")
            if byKey[tag.key] == nil { order.append(tag.key) }
            byKey[tag.key] = truncated(tag.value, limit: maxTagValueLength)
        }
        return order.map { KeyValue(key: $0, value: byKey[$0]!) }
    }

    static func truncated(_ value: String, limit: Int) -> String {
        // A string of at most `limit` UTF-8 bytes has at most `limit` Characters: no need to count them.
        value.utf8.count <= limit || value.count <= limit ? value : String(value.prefix(limit))
    }

    static func experimentName(_ name: String) throws {
        guard !name.isEmpty else { throw StoreError.invalidParameter("Invalid experiment name: ''") }
        guard name.count <= maxExperimentNameLength else {
            throw StoreError.invalidParameter(
                "Experiment name had length \(name.count), which exceeded length limit of \(maxExperimentNameLength)")
        }
    }

    static func maxResults(_ value: Int, limit: Int = maxSearchResults) throws {
        guard value >= 1, value <= limit else {
            throw StoreError.invalidParameter(
                "Invalid value \(value) for parameter 'max_results' supplied. It must be between 1 and \(limit)")
        }
    }

    /// Experiment IDs are integers rendered as strings.
    static func experimentID(_ id: String) throws -> Int64 {
        guard let value = Int64(id) else {
            throw StoreError.invalidParameter("Invalid experiment ID '\(id.prefix(100))': must be an integer")
        }
        return value
    }

    /// Stored form of a metric value: ±Inf become ±Double.greatestFiniteMagnitude; NaN is flagged and stored as 0.
    static func storedMetric(_ value: Double) -> (value: Double, isNaN: Bool) {
        if value.isNaN { return (0, true) }
        if value == .infinity { return (.greatestFiniteMagnitude, false) }
        if value == -.infinity { return (-.greatestFiniteMagnitude, false) }
        return (value, false)
    }
}
