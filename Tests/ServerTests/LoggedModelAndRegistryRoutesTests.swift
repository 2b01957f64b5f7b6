import JSON
@testable import Server
import Testing

/// Socket-free tests of the logged-model (MLFLOW_API.md §2.6) and registry (§6) RPCs.
@Suite struct LoggedModelAndRegistryRoutesTests {
    let api: APIHarness
    init() throws { api = try APIHarness() }

    private func makeModel(name: String = "model") throws -> (run: String, model: JSONValue) {
        let (experiment, run) = try api.makeRun()
        let created = try api.post("/logged-models", [
            "experiment_id": .string(experiment), "name": .string(name), "source_run_id": .string(run),
            "params": [["key": "alpha", "value": "1"]], "tags": [["key": "mlflow.user", "value": "me"]],
        ])
        #expect(created.status == 200)
        return (run, created.json["model"]!)
    }

    @Test func loggedModelLifecycle() throws {
        let (_, model) = try makeModel()
        let info = model["info"]!
        let id = info["model_id"]!.stringValue!
        #expect(id.hasPrefix("m-"))
        #expect(info["status"] == "LOGGED_MODEL_PENDING")
        #expect(info["artifact_uri"]?.stringValue?.hasSuffix("/models/\(id)/artifacts") == true)
        #expect(model["data"]?["params"] == [["key": "alpha", "value": "1"]])

        let ready = try api.call(.PATCH, "/logged-models/\(id)", ["model_id": .string(id), "status": "LOGGED_MODEL_READY"])
        #expect(ready.json["model"]?["info"]?["status"] == "LOGGED_MODEL_READY")
        #expect(try api.call(.PATCH, "/logged-models/\(id)", ["status": "SHINY"]).status == 400)
        #expect(try api.call(.PATCH, "/logged-models/\(id)/tags", ["tags": [["key": "k", "value": "v"]]]).status == 200)
        #expect(try api.call(.DELETE, "/logged-models/\(id)/tags/k").status == 200)
        #expect(try api.post("/logged-models/\(id)/params", ["model_id": .string(id), "params": [["key": "beta", "value": "2"]]]).status == 200)
        let fetched = try api.get("/logged-models/\(id)").json["model"]!
        #expect(fetched["info"]?["tags"] == [["key": "mlflow.user", "value": "me"]])
        #expect(fetched["data"]?["params"]?.arrayValue?.count == 2)

        #expect(try api.call(.DELETE, "/logged-models/\(id)").status == 200)
        #expect(try api.get("/logged-models/\(id)").status == 404)
        #expect(try api.get("/logged-models/\(id)?allow_deleted=True").status == 200)
        #expect(try api.get("/logged-models/m-missing").errorCode == "RESOURCE_DOES_NOT_EXIST")
        #expect(try api.post("/logged-models", ["name": "x"]).errorCode == "INVALID_PARAMETER_VALUE")
    }

    @Test func loggedModelSearch_ByNameAsRunsURIsNeed() throws {
        let (_, model) = try makeModel(name: "wanted")
        let experiment = model["info"]!["experiment_id"]!
        let found = try api.post("/logged-models/search", ["experiment_ids": [experiment], "filter": "name = 'wanted'"])
        #expect(found.json["models"]?.arrayValue?.count == 1)
        let none = try api.post("/logged-models/search", ["experiment_ids": [experiment], "filter": "name = 'other'"])
        #expect(none.json["models"] == nil)
        let ordered = try api.post("/logged-models/search", ["experiment_ids": [experiment], "order_by": [["field_name": "creation_timestamp", "ascending": false]]])
        #expect(ordered.status == 200)
        #expect(try api.post("/logged-models/search", ["experiment_ids": [experiment], "filter": "name = "]).status == 400)
    }

    @Test func registry_VersionsAliasesStagesTags() throws {
        let created = try api.post("/registered-models/create", ["name": "digits-cnn", "tags": [["key": "team", "value": "q"]], "description": "d"])
        #expect(created.json["registered_model"]?["name"] == "digits-cnn")
        #expect(try api.post("/registered-models/create", ["name": "digits-cnn"]).errorCode == "RESOURCE_ALREADY_EXISTS")
        #expect(try api.get("/registered-models/get?name=missing").errorCode == "RESOURCE_DOES_NOT_EXIST")

        let (run, model) = try makeModel()
        let modelID = model["info"]!["model_id"]!
        let v1 = try api.post("/model-versions/create", ["name": "digits-cnn", "source": .string("models:/\(modelID.stringValue!)"), "model_id": modelID])
        // READY at once: a missing or PENDING status makes the client wait 300 s (§6).
        #expect(v1.json["model_version"]?["status"] == "READY")
        #expect(v1.json["model_version"]?["version"] == "1")
        #expect(v1.json["model_version"]?["current_stage"] == "None")
        let v2 = try api.post("/model-versions/create", ["name": "digits-cnn", "source": "mlflow-artifacts:/0/x/artifacts/model", "run_id": .string(run)])
        #expect(v2.json["model_version"]?["version"] == "2")
        #expect(try api.post("/model-versions/create", ["name": "nope", "source": "s"]).status == 404)

        let uri = try api.get("/model-versions/get-download-uri?name=digits-cnn&version=1").json["artifact_uri"]
        #expect(uri == model["info"]!["artifact_uri"])

        #expect(try api.post("/registered-models/alias", ["name": "digits-cnn", "alias": "champion", "version": "2"]).status == 200)
        #expect(try api.post("/registered-models/alias", ["name": "digits-cnn", "alias": "latest", "version": "1"]).status == 400)
        #expect(try api.get("/registered-models/alias?name=digits-cnn&alias=champion").json["model_version"]?["version"] == "2")
        #expect(try api.call(.DELETE, "/registered-models/alias", ["name": "digits-cnn", "alias": "champion"]).status == 200)
        #expect(try api.get("/registered-models/alias?name=digits-cnn&alias=champion").errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.get("/registered-models/alias?name=missing&alias=champion").errorCode == "RESOURCE_DOES_NOT_EXIST")

        let staged = try api.post("/model-versions/transition-stage", ["name": "digits-cnn", "version": "1", "stage": "production", "archive_existing_versions": false])
        #expect(staged.json["model_version"]?["current_stage"] == "Production")
        #expect(try api.post("/model-versions/transition-stage", ["name": "digits-cnn", "version": "1", "stage": "Shipped", "archive_existing_versions": false]).status == 400)
        let latest = try api.post("/registered-models/get-latest-versions", ["name": "digits-cnn", "stages": ["Production"]])
        #expect(latest.json["model_versions"]?.arrayValue?.map { $0["version"] } == ["1"])
        #expect(try api.get("/registered-models/get-latest-versions?name=digits-cnn").json["model_versions"]?.arrayValue?.count == 2)

        #expect(try api.post("/model-versions/set-tag", ["name": "digits-cnn", "version": "2", "key": "k", "value": "v"]).status == 200)
        #expect(try api.call(.DELETE, "/model-versions/delete-tag", ["name": "digits-cnn", "version": "2", "key": "k"]).status == 200)
        #expect(try api.call(.PATCH, "/model-versions/update", ["name": "digits-cnn", "version": "2", "description": "new"]).json["model_version"]?["description"] == "new")
        #expect(try api.post("/registered-models/set-tag", ["name": "digits-cnn", "key": "k", "value": "v"]).status == 200)
        #expect(try api.call(.DELETE, "/registered-models/delete-tag", ["name": "digits-cnn", "key": "k"]).status == 200)
        #expect(try api.call(.PATCH, "/registered-models/update", ["name": "digits-cnn", "description": "updated"]).json["registered_model"]?["description"] == "updated")

        let search = try api.get("/model-versions/search?filter=name+%3D+%27digits-cnn%27&max_results=10")
        #expect(search.json["model_versions"]?.arrayValue?.count == 2)
        #expect(try api.get("/registered-models/search?filter=name+LIKE+%27digits%25%27").json["registered_models"]?.arrayValue?.count == 1)
        #expect(try api.get("/registered-models/search?max_results=1001").status == 400)
        // What the 3.x client really sends: every model search excludes prompts this way.
        let clientFilter = PercentEncoding.encode("name LIKE 'digits%' AND tag.`mlflow.prompt.is_prompt` != 'true'")
        #expect(try api.get("/registered-models/search?filter=\(clientFilter)").json["registered_models"]?.arrayValue?.count == 1)

        let renamed = try api.post("/registered-models/rename", ["name": "digits-cnn", "new_name": "digits"])
        #expect(renamed.json["registered_model"]?["name"] == "digits")
        #expect(try api.get("/model-versions/get?name=digits&version=2").status == 200)
        #expect(try api.call(.DELETE, "/model-versions/delete", ["name": "digits", "version": "2"]).status == 200)
        #expect(try api.get("/model-versions/get?name=digits&version=2").status == 404)
        #expect(try api.call(.DELETE, "/registered-models/delete", ["name": "digits"]).status == 200)
        #expect(try api.get("/model-versions/get?name=digits&version=1").status == 404)
        #expect(try api.get("/registered-models/get?name=digits").status == 404)
    }
}
