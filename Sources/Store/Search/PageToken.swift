import Foundation

/// MLflow's page token: `base64(json({"offset": N}))` (MLFLOW_API.md §4.5). Clients treat it as opaque.
enum PageToken {
    static func encode(offset: Int) -> String {
        Data("{\"offset\": \(offset)}".utf8).base64EncodedString()
    }

    /// The offset a token stands for; nil or "" means the first page. A malformed token is INVALID_PARAMETER_VALUE.
    static func decode(_ token: String?) throws -> Int {
        guard let token, !token.isEmpty else { return 0 }
        guard let data = Data(base64Encoded: token),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let offset = (object["offset"] as? NSNumber)?.intValue, offset >= 0
        else {
            throw StoreError.invalidParameter("Invalid page token '\(token.prefix(100))'")
        }
        return offset
    }

    /// Fetches `limit + 1` rows' worth: the extra row only tells whether another page exists.
    static func page<T>(_ rows: [T], offset: Int, limit: Int) -> (items: [T], next: String?) {
        if rows.count > limit { return (Array(rows.prefix(limit)), encode(offset: offset + limit)) }
        return (rows, nil)
    }
}
