import JSON
/// The one place where errors become responses. An `HTTPResponseError` is sent with its own status and
/// MLflow's error JSON; anything else is logged and becomes a generic 500, so no SQL, path or stack detail
/// reaches the client.
public enum ErrorBoundary {
    public static func response(for error: any Error, logger: Logger) -> HTTPResponse {
        if let known = error as? any HTTPResponseError {
            // A server-side failure keeps its detail in the log, never in the response.
            // 501 and 505 (an unsupported feature or HTTP version) are the client's doing, not a server failure.
            if known.status.code >= 500 && known.status.code != 501 && known.status.code != 505 {
                logger.error("request failed: \(String(describing: error))")
            }
            return errorResponse(status: known.status, code: known.errorCode, message: known.publicMessage)
        }
        logger.error("unhandled error in handler: \(String(describing: error))")
        return errorResponse(status: .internalServerError, code: APIError.Code.internalError.rawValue, message: "Internal server error")
    }

    /// `{"error_code": …, "message": …}` with the given status (MLFLOW_API.md §1.5).
    public static func errorResponse(status: HTTPStatus, code: String, message: String) -> HTTPResponse {
        let body: JSONValue = ["error_code": .string(code), "message": .string(shortened(message))]
        return .json(body, status: status)
    }

    /// Messages quote the offending input; a megabyte of it would come back whole. Longer messages keep their
    /// first `maxMessageCharacters` characters.
    static let maxMessageCharacters = 1_000

    static func shortened(_ message: String) -> String {
        guard message.utf8.count > maxMessageCharacters, message.count > maxMessageCharacters else { return message }
        return message.prefix(maxMessageCharacters) + "… (\(message.count - maxMessageCharacters) more characters)"
    }

    /// Runs a handler inside the boundary.
    static func run(_ handler: HTTPHandler, _ request: HTTPRequest, logger: Logger) -> HTTPResponse {
        do {
            return try handler(request)
        } catch {
            return response(for: error, logger: logger)
        }
    }
}
