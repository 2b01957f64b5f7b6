/// An error that knows how to present itself to the client: a status and MLflow's error JSON
/// `{"error_code": …, "message": …}` (MLFLOW_API.md §1.5). The single error boundary (`ErrorBoundary`) turns
/// these into responses; any other error becomes a generic 500.
public protocol HTTPResponseError: Error {
    var status: HTTPStatus { get }
    var errorCode: String { get }
    /// Text safe to show the client: no SQL, bound values or server paths.
    var publicMessage: String { get }
}
