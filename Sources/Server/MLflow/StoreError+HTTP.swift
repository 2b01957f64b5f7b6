public import Store

/// Store errors carry the MLflow error code the client expects. INVALID_STATE is sent as 400, not MLflow's
/// 500, because the client retries 5xx for minutes (MLFLOW_API.md §1.6). Database failures are 500 with a
/// generic message; the error boundary logs their detail.
extension StoreError: HTTPResponseError {
    public var status: HTTPStatus {
        switch self {
        case .migration, .database: return .internalServerError
        default: return APIError.Code(rawValue: mlflowErrorCode).status
        }
    }

    public var errorCode: String { mlflowErrorCode }

    public var publicMessage: String {
        switch self {
        case .migration, .database: return "Internal database error"
        default: return description
        }
    }
}
