import JSON
@testable import Server
import Store
#if canImport(Glibc)
import Glibc
#endif

/// Every MLflow route over a real SQLite store in a temporary directory, called without sockets.
final class APIHarness {
    let directory: String
    let store: SQLStore
    let router: Router

    init() throws {
        directory = "/tmp/mixbit-api-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        mkdir(directory, 0o755)
        store = try SQLStore.open(.sqlite(path: directory + "/mixbit.db"))
        let artifacts = try ArtifactRoot(path: directory + "/artifacts")
        var router = Router()
        TrackingRoutes.register(on: &router, store: store)
        LoggedModelRoutes.register(on: &router, store: store, artifacts: artifacts)
        RegistryRoutes.register(on: &router, store: store)
        ArtifactRoutes.register(on: &router, root: artifacts)
        self.router = router
    }

    deinit {
        store.close()
    }

    struct Result {
        let status: Int
        let json: JSONValue

        var errorCode: String? { json["error_code"]?.stringValue }
    }

    /// POST/PATCH/DELETE send `body` as JSON; GET sends `query` in the target.
    func call(_ method: HTTPMethod, _ path: String, _ body: JSONValue? = nil, prefix: String = "/api/2.0/mlflow") throws -> Result {
        let request = try HTTPRequest.make(method, prefix + path, body: body?.encoded() ?? [])
        let response = router.respond(to: request)
        let json = response.bodyBytes.isEmpty ? JSONValue.object(JSONObject()) : try JSONParser.parse(response.bodyBytes)
        return Result(status: response.status.code, json: json)
    }

    func post(_ path: String, _ body: JSONValue) throws -> Result { try call(.POST, path, body) }
    func get(_ target: String) throws -> Result { try call(.GET, target) }

    /// Creates an experiment and a run in it; returns (experiment id, run id).
    func makeRun(experiment: String = "exp-\(UInt32.random(in: 0...UInt32.max))", name: String? = nil) throws -> (String, String) {
        let experimentID = try post("/experiments/create", ["name": .string(experiment)]).json["experiment_id"]!.stringValue!
        var body: JSONObject = ["experiment_id": .string(experimentID), "start_time": 1_700_000_000_000]
        if let name { body.append("run_name", .string(name)) }
        let run = try post("/runs/create", .object(body))
        return (experimentID, run.json["run"]!["info"]!["run_id"]!.stringValue!)
    }
}
