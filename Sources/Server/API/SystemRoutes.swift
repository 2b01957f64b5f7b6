/// Routes that answer without touching the database: liveness and version.
public enum SystemRoutes {
    /// `GET /health` → 200 `OK`; `GET /version` → the version as plain text (the MLflow client parses it
    /// before exporting trace spans, MLFLOW_API.md §1.7). Both run inline on the event loop.
    public static func register(on router: inout Router, version: String) {
        let ok = HTTPResponse.text("OK")
        router.get("/health", options: .inline) { _ in ok }
        let versionResponse = HTTPResponse.text(version)
        router.get("/version", options: .inline) { _ in versionResponse }
    }
}
