/// An error a handler raises on purpose, carrying an MLflow error code (MLFLOW_API.md §1.5, Appendix C).
public struct APIError: HTTPResponseError, CustomStringConvertible, Equatable {
    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var status: HTTPStatus { code.status }
    public var errorCode: String { code.rawValue }
    public var publicMessage: String { message }
    public var description: String { "\(code.rawValue): \(message)" }

    /// MLflow's `ErrorCode` names. An open set: the client shows unknown codes verbatim.
    public struct Code: RawRepresentable, Hashable, Sendable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        public static let invalidParameterValue = Code(rawValue: "INVALID_PARAMETER_VALUE")
        public static let resourceAlreadyExists = Code(rawValue: "RESOURCE_ALREADY_EXISTS")
        public static let resourceDoesNotExist = Code(rawValue: "RESOURCE_DOES_NOT_EXIST")
        public static let endpointNotFound = Code(rawValue: "ENDPOINT_NOT_FOUND")
        public static let badRequest = Code(rawValue: "BAD_REQUEST")
        public static let invalidState = Code(rawValue: "INVALID_STATE")
        public static let unauthenticated = Code(rawValue: "UNAUTHENTICATED")
        public static let permissionDenied = Code(rawValue: "PERMISSION_DENIED")
        public static let resourceConflict = Code(rawValue: "RESOURCE_CONFLICT")
        public static let resourceExhausted = Code(rawValue: "RESOURCE_EXHAUSTED")
        public static let internalError = Code(rawValue: "INTERNAL_ERROR")
        /// MLflow's NOT_IMPLEMENTED: a feature this server does not offer (sent with 501).
        public static let unsupported = Code(rawValue: "NOT_IMPLEMENTED")
        public static let temporarilyUnavailable = Code(rawValue: "TEMPORARILY_UNAVAILABLE")

        /// The HTTP status MLflow's server sends with each code (`mlflow/exceptions.py`), except that
        /// INVALID_STATE is a 400 here: the client retries a 500 for minutes (MLFLOW_API.md §1.6).
        public var status: HTTPStatus {
            switch rawValue {
            case "INVALID_PARAMETER_VALUE", "RESOURCE_ALREADY_EXISTS", "BAD_REQUEST", "INVALID_STATE":
                return .badRequest
            case "CUSTOMER_UNAUTHORIZED", "UNAUTHENTICATED": return .unauthorized
            case "PERMISSION_DENIED": return .forbidden
            case "RESOURCE_DOES_NOT_EXIST", "NOT_FOUND", "ENDPOINT_NOT_FOUND": return .notFound
            case "ABORTED", "RESOURCE_CONFLICT", "ALREADY_EXISTS": return .conflict
            case "REQUEST_LIMIT_EXCEEDED", "RESOURCE_EXHAUSTED": return .tooManyRequests
            case "CANCELLED": return .clientClosedRequest
            case "NOT_IMPLEMENTED": return .unsupported
            case "TEMPORARILY_UNAVAILABLE": return .serviceUnavailable
            case "DEADLINE_EXCEEDED": return .gatewayTimeout
            default: return .internalServerError
            }
        }
    }
}
