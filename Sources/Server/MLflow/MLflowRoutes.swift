import JSON
#if canImport(Glibc)
import Glibc
#endif

/// Registers an MLflow RPC under every prefix the official server serves it at: `/api/2.0/mlflow/…` for the
/// client and the `/ajax-api/2.0/mlflow/…` mirror the web UI uses (MLFLOW_API.md §1.1).
struct MLflowRoutes {
    static let prefixes = ["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"]

    /// Adds `method path` for every prefix; the handler reads fields through `MLflowRequest` and returns the
    /// response message, sent as JSON with status 200.
    static func add(
        _ router: inout Router, _ method: HTTPMethod, _ path: String,
        _ handler: @escaping @Sendable (MLflowRequest, HTTPRequest) throws -> JSONValue
    ) {
        for prefix in prefixes {
            router.add(method, prefix + path) { request in
                let response = try handler(try MLflowRequest(request), request)
                return .json(response)
            }
        }
    }

    /// A route whose handler encodes its response body itself (a large response built without a JSON tree).
    static func addEncoded(
        _ router: inout Router, _ method: HTTPMethod, _ path: String,
        _ handler: @escaping @Sendable (MLflowRequest, HTTPRequest) throws -> [UInt8]
    ) {
        for prefix in prefixes {
            router.add(method, prefix + path) { request in
                .json(bytes: try handler(try MLflowRequest(request), request))
            }
        }
    }

    /// An empty response message.
    static let empty: JSONValue = .object(JSONObject())
}

/// Wall-clock milliseconds since the epoch, MLflow's timestamp unit.
func currentTimeMilliseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_REALTIME, &now)
    return Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000
}
