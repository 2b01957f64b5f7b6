import JSON
@testable import Server
import Store
import Testing

/// Socket-free tests of every tracking RPC and its error paths (MLFLOW_API.md §2, §8).
@Suite struct TrackingRoutesTests {
    let api: APIHarness
    init() throws { api = try APIHarness() }

    // MARK: Experiments

    @Test func defaultExperimentExists_AndUnknownNamesAre404JSON() throws {
        let found = try api.get("/experiments/get-by-name?experiment_name=Default")
        #expect(found.status == 200)
        #expect(found.json["experiment"]?["experiment_id"] == "0")
        #expect(found.json["experiment"]?["lifecycle_stage"] == "active")
        let missing = try api.get("/experiments/get-by-name?experiment_name=nope")
        #expect(missing.status == 404)
        #expect(missing.errorCode == "RESOURCE_DOES_NOT_EXIST")
        #expect(try api.get("/experiments/get?experiment_id=12345").status == 404)
        #expect(try api.get("/experiments/get?experiment_id=abc").errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.get("/experiments/get").errorCode == "INVALID_PARAMETER_VALUE")
    }

    @Test func experimentLifecycle_CreateRenameTagDeleteRestore() throws {
        let created = try api.post("/experiments/create", ["name": "lifecycle", "tags": [["key": "k", "value": "v"]]])
        #expect(created.status == 200)
        let id = created.json["experiment_id"]!.stringValue!
        #expect(try api.post("/experiments/create", ["name": "lifecycle"]).errorCode == "RESOURCE_ALREADY_EXISTS")
        #expect(try api.post("/experiments/create", ["name": ""]).errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.post("/experiments/update", ["experiment_id": .string(id), "new_name": "renamed"]).status == 200)
        let experiment = try api.get("/experiments/get?experiment_id=\(id)").json["experiment"]!
        #expect(experiment["name"] == "renamed")
        #expect(experiment["artifact_location"] == .string("mlflow-artifacts:/\(id)"))
        #expect(experiment["tags"] == [["key": "k", "value": "v"]])
        #expect(try api.post("/experiments/set-experiment-tag", ["experiment_id": .string(id), "key": "k2", "value": "v2"]).status == 200)
        #expect(try api.post("/experiments/delete-experiment-tag", ["experiment_id": .string(id), "key": "k2"]).status == 200)
        #expect(try api.post("/experiments/delete-experiment-tag", ["experiment_id": .string(id), "key": "k2"]).status == 404)
        #expect(try api.post("/experiments/delete", ["experiment_id": .string(id)]).status == 200)
        #expect(try api.get("/experiments/get?experiment_id=\(id)").json["experiment"]?["lifecycle_stage"] == "deleted")
        // Renaming a deleted experiment is INVALID_STATE, sent as 400 so the client does not retry (§1.6).
        let rename = try api.post("/experiments/update", ["experiment_id": .string(id), "new_name": "again"])
        #expect(rename.status == 400)
        #expect(rename.errorCode == "INVALID_STATE")
        #expect(try api.post("/experiments/delete", ["experiment_id": .string(id)]).status == 404)
        #expect(try api.post("/experiments/restore", ["experiment_id": .string(id)]).status == 200)
        #expect(try api.post("/experiments/restore", ["experiment_id": .string(id)]).status == 404)
    }

    @Test func experimentSearch_FiltersOrdersPagesAndValidates() throws {
        for i in 0..<5 { _ = try api.post("/experiments/create", ["name": .string("search-\(i)")]) }
        var names: [String] = []
        var token: String?
        repeat {
            var body: JSONObject = ["filter": "name LIKE 'search-%'", "max_results": 2, "order_by": ["name DESC"]]
            if let token { body.append("page_token", .string(token)) }
            let page = try api.post("/experiments/search", .object(body))
            #expect(page.status == 200)
            names += page.json["experiments"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            token = page.json["next_page_token"]?.stringValue
        } while token != nil
        #expect(names == ["search-4", "search-3", "search-2", "search-1", "search-0"])
        let viaGet = try api.get("/experiments/search?filter=name+%3D+%27search-1%27&view_type=ALL&max_results=10")
        #expect(viaGet.json["experiments"]?.arrayValue?.count == 1)
        #expect(try api.post("/experiments/search", ["max_results": 50_001]).errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.post("/experiments/search", ["filter": "name =="]).errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.post("/experiments/search", ["view_type": "SOMETIMES"]).errorCode == "INVALID_PARAMETER_VALUE")
    }

    // MARK: Runs

    @Test func runCreate_DefaultsToExperimentZero_AndSyncsTheRunNameTag() throws {
        let created = try api.post("/runs/create", ["run_name": "first", "start_time": "1700000000000"])
        #expect(created.status == 200)
        let info = created.json["run"]!["info"]!
        #expect(info["experiment_id"] == "0")
        #expect(info["status"] == "RUNNING")
        #expect(info["run_uuid"] == info["run_id"])
        #expect(info["start_time"] == 1_700_000_000_000)
        #expect(created.json["run"]?["data"]?["tags"] == [["key": "mlflow.runName", "value": "first"]])
        let id = info["run_id"]!.stringValue!
        #expect(info["artifact_uri"] == .string("mlflow-artifacts:/0/\(id)/artifacts"))

        _ = try api.post("/runs/set-tag", ["run_id": .string(id), "key": "mlflow.runName", "value": "second"])
        #expect(try api.get("/runs/get?run_id=\(id)").json["run"]?["info"]?["run_name"] == "second")
        let updated = try api.post("/runs/update", ["run_uuid": .string(id), "run_name": "third", "status": "FINISHED", "end_time": 5])
        #expect(updated.json["run_info"]?["status"] == "FINISHED")
        #expect(updated.json["run_info"]?["end_time"] == 5)
        let tags = try api.get("/runs/get?run_uuid=\(id)").json["run"]?["data"]?["tags"]
        #expect(tags == [["key": "mlflow.runName", "value": "third"]])
        // A generated name when none is given.
        let unnamed = try api.post("/runs/create", ["experiment_id": "0"]).json["run"]!["info"]!["run_name"]!.stringValue!
        #expect(!unnamed.isEmpty)
    }

    @Test func runErrors_AreTheOnesTheClientExpects() throws {
        #expect(try api.get("/runs/get?run_id=0123456789abcdef0123456789abcdef").errorCode == "RESOURCE_DOES_NOT_EXIST")
        #expect(try api.get("/runs/get").errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.post("/runs/create", ["experiment_id": "999999"]).status == 404)
        #expect(try api.post("/runs/update", ["run_id": "nope", "status": "DONE"]).errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.post("/runs/create", ["experiment_id": "0", "start_time": "soon"]).errorCode == "INVALID_PARAMETER_VALUE")
        // A non-object body and malformed JSON are 400s, never 500s.
        #expect(try api.call(.POST, "/runs/create", ["a", "b"]).status == 400)
        let malformed = api.router.respond(to: try .make(.POST, "/api/2.0/mlflow/runs/create", body: Array("{\"experiment_id\":".utf8)))
        #expect(malformed.status == .badRequest)
    }

    /// SQLite and libpq take text as C strings, so a NUL would silently shorten a value or a lookup key: refused.
    @Test func textWithNUL_IsRefused() throws {
        let (_, run) = try api.makeRun()
        let requests: [(String, JSONValue)] = [
            ("/runs/set-tag", ["run_id": .string(run), "key": "t", "value": "a\u{0}b"]),
            ("/runs/log-parameter", ["run_id": .string(run), "key": "p\u{0}", "value": "v"]),
            ("/runs/set-tag", ["run_id": .string(run + "\u{0}zzz"), "key": "t", "value": "v"]),
            ("/experiments/create", ["name": "n\u{0}a"]),
            ("/runs/search", ["experiment_ids": ["0\u{0}"]]),
        ]
        for (path, body) in requests {
            let response = try api.post(path, body)
            #expect(response.errorCode == "INVALID_PARAMETER_VALUE", "\(path)")
            #expect(response.json["message"]?.stringValue?.contains("NUL") == true, "\(path)")
        }
        #expect(try api.get("/experiments/get-by-name?experiment_name=Default%00junk").errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.get("/runs/get?run_id=\(run)").json["run"]?["data"]?["tags"]?.arrayValue?
            .contains { $0["key"] == "t" } == false)
    }

    /// An error quotes the bad input, but not a megabyte of it.
    @Test func errorMessages_QuoteAtMostAThousandCharactersOfInput() throws {
        let huge = String(repeating: "k", count: 1_000_000)
        let response = try api.get("/runs/get?run_id=" + huge)
        #expect(response.status == 404 || response.status == 400)
        let message = try #require(response.json["message"]?.stringValue)
        #expect(message.count <= ErrorBoundary.maxMessageCharacters + 40)
        #expect(message.hasSuffix("more characters)"))
    }

    @Test func deleteAndRestore_ToggleTheLifecycleAndSearchViews() throws {
        let (experiment, run) = try api.makeRun()
        #expect(try api.post("/runs/delete", ["run_id": .string(run)]).status == 200)
        #expect(try api.get("/runs/get?run_id=\(run)").json["run"]?["info"]?["lifecycle_stage"] == "deleted")
        // Deleted runs reject writes.
        #expect(try api.post("/runs/log-parameter", ["run_id": .string(run), "key": "p", "value": "1"]).status == 400)
        let active = try api.post("/runs/search", ["experiment_ids": [.string(experiment)]])
        #expect(active.json["runs"] == nil)
        let deleted = try api.post("/runs/search", ["experiment_ids": [.string(experiment)], "run_view_type": "DELETED_ONLY"])
        #expect(deleted.json["runs"]?.arrayValue?.count == 1)
        #expect(try api.post("/runs/restore", ["run_id": .string(run)]).status == 200)
        #expect(try api.post("/runs/search", ["experiment_ids": [.string(experiment)]]).json["runs"]?.arrayValue?.count == 1)
    }

    // MARK: Logging

    @Test func logging_MetricsParamsTags_WithMLflowValueRules() throws {
        let (_, run) = try api.makeRun()
        let r = JSONValue.string(run)
        #expect(try api.post("/runs/log-metric", ["run_id": r, "run_uuid": r, "key": "loss", "value": "NaN", "timestamp": 1, "step": 0]).status == 200)
        #expect(try api.post("/runs/log-metric", ["run_id": r, "key": "loss", "value": 0.25, "timestamp": 2, "step": 3, "model_id": "m-x", "dataset_name": "d", "dataset_digest": "1"]).status == 200)
        #expect(try api.post("/runs/log-metric", ["run_id": r, "key": "acc", "value": "-Infinity", "timestamp": "3"]).status == 200)
        #expect(try api.post("/runs/log-parameter", ["run_id": r, "key": "lr", "value": "0.1"]).status == 200)
        #expect(try api.post("/runs/log-parameter", ["run_id": r, "key": "lr", "value": "0.1"]).status == 200)
        let changed = try api.post("/runs/log-parameter", ["run_id": r, "key": "lr", "value": "0.2"])
        #expect(changed.errorCode == "INVALID_PARAMETER_VALUE")
        #expect(try api.post("/runs/set-tag", ["run_id": r, "key": "t", "value": ""]).status == 200)
        #expect(try api.post("/runs/delete-tag", ["run_id": r, "key": "t"]).status == 200)
        #expect(try api.post("/runs/delete-tag", ["run_id": r, "key": "t"]).status == 404)

        let data = try api.get("/runs/get?run_id=\(run)").json["run"]!["data"]!
        let metrics = data["metrics"]!.arrayValue!
        // One latest value per key: max by (step, timestamp, value).
        #expect(metrics.first { $0["key"] == "loss" }?["value"] == 0.25)
        // ±Inf is stored as ±Double.greatestFiniteMagnitude, as MLflow's SQL store does (MLFLOW_API.md §2.3).
        #expect(metrics.first { $0["key"] == "acc" }?["value"] == .double(-Double.greatestFiniteMagnitude))
        #expect(data["params"] == [["key": "lr", "value": "0.1"]])

        // Bad values: booleans, missing timestamps, invalid keys.
        #expect(try api.post("/runs/log-metric", ["run_id": r, "key": "x", "value": true, "timestamp": 1]).status == 400)
        #expect(try api.post("/runs/log-metric", ["run_id": r, "key": "x", "value": 1]).status == 400)
        #expect(try api.post("/runs/log-metric", ["run_id": r, "key": "../x", "value": 1, "timestamp": 1]).status == 400)
        #expect(try api.post("/runs/log-metric", ["key": "x", "value": 1, "timestamp": 1]).status == 400)
    }

    @Test func logBatch_IsAllOrNothing_AndEnforcesLimits() throws {
        let (_, run) = try api.makeRun()
        let r = JSONValue.string(run)
        _ = try api.post("/runs/log-parameter", ["run_id": r, "key": "p", "value": "1"])
        let conflicting = try api.post("/runs/log-batch", [
            "run_id": r, "metrics": [["key": "m", "value": 1, "timestamp": 1, "step": 0]],
            "params": [["key": "p", "value": "2"]], "tags": [["key": "t", "value": "v"]],
        ])
        #expect(conflicting.errorCode == "INVALID_PARAMETER_VALUE")
        let after = try api.get("/runs/get?run_id=\(run)").json["run"]!["data"]!
        #expect(after["metrics"] == nil)
        #expect(after["tags"]?.arrayValue?.contains { $0["key"] == "t" } != true)

        let tooMany = JSONValue.array((0..<1001).map { ["key": .string("m\($0)"), "value": 1, "timestamp": 1] })
        #expect(try api.post("/runs/log-batch", ["run_id": r, "metrics": tooMany]).errorCode == "INVALID_PARAMETER_VALUE")
        let duplicateParams: JSONValue = [["key": "a", "value": "1"], ["key": "a", "value": "2"]]
        #expect(try api.post("/runs/log-batch", ["run_id": r, "params": duplicateParams]).errorCode == "INVALID_PARAMETER_VALUE")

        let batch = JSONValue.array((0..<100).map { ["key": "series", "value": .double(Double($0)), "timestamp": .int(Int64($0)), "step": .int(Int64($0))] })
        #expect(try api.post("/runs/log-batch", ["run_id": r, "metrics": batch, "params": [["key": "q", "value": "x"]]]).status == 200)
        let history = try api.get("/metrics/get-history?run_id=\(run)&metric_key=series").json["metrics"]!.arrayValue!
        #expect(history.count == 100)
        #expect(history.last?["value"] == 99.0)
    }

    @Test func camelCase_IsTheProtoJSONName() {
        #expect(MLflowRequest.camelCase("run_id") == "runId")
        #expect(MLflowRequest.camelCase("experiment_ids") == "experimentIds")
        #expect(MLflowRequest.camelCase("dataset_digest") == "datasetDigest")
        #expect(MLflowRequest.camelCase("a_b_c") == "aBC")
        #expect(MLflowRequest.camelCase("key") == "key")
        #expect(MLflowRequest.camelCase("trailing_") == "trailing")
        #expect(MLflowRequest.camelCase("max_results_2") == "maxResults2")
        for name in ["run_id", "experiment_ids", "a_b_c", "trailing_", "max_results_2"] {
            #expect(MLflowRequest.isCamelCase(MLflowRequest.camelCase(name), of: name))
        }
        #expect(!MLflowRequest.isCamelCase("runID", of: "run_id"))
        #expect(!MLflowRequest.isCamelCase("runIdx", of: "run_id"))
        #expect(!MLflowRequest.isCamelCase("run", of: "run_id"))
    }

    @Test func jsonBodies_AcceptProtoJSONNames() throws {
        let (_, run) = try api.makeRun()
        let metric: JSONValue = ["key": "m", "value": 1.5, "timestamp": 7, "step": 3, "datasetName": "d", "datasetDigest": "x1"]
        #expect(try api.post("/runs/log-batch", ["runId": .string(run), "metrics": [metric]]).status == 200)
        let history = try api.get("/metrics/get-history?run_id=\(run)&metric_key=m").json["metrics"]!.arrayValue!
        #expect(history.count == 1 && history.first?["step"] == 3)
    }

    @Test func encodedMetricHistory_IsTheTextOfTheJSONTree() {
        // Special values, escapes, negative numbers and several keys; with and without a page token; empty pages.
        let values: [Double] = [0, -0.0, 1.5, -2.25e-7, 1e300, .nan, .infinity, -.infinity, 0.1, 123456789.125]
        let keys = ["loss", "a\"quoted\\key", "tab\there", "ünïcode", "loss"]
        var points: [Metric] = []
        for (i, value) in values.enumerated() {
            points.append(Metric(key: keys[i % keys.count], value: value, timestamp: Int64(i) * 1_000_000_007 - 5, step: Int64(-i)))
        }
        for page in [Page(items: points, nextPageToken: nil), Page(items: points, nextPageToken: "tok\"en"),
                     Page(items: [], nextPageToken: nil), Page(items: [], nextPageToken: "t"), Page(items: points, nextPageToken: "")] {
            #expect(MLflowJSON.encodedMetricHistory(page) == MLflowJSON.page("metrics", page, MLflowJSON.metric).encoded())
        }
    }

    @Test func metricHistory_PagesAndBulkIntervalSamples() throws {
        let (_, run) = try api.makeRun()
        let batch = JSONValue.array((0..<50).map { ["key": "h", "value": .double(Double($0)), "timestamp": .int(Int64($0)), "step": .int(Int64($0))] })
        _ = try api.post("/runs/log-batch", ["run_id": .string(run), "metrics": batch])
        var seen: [Int64] = []
        var token: String?
        repeat {
            let target = "/metrics/get-history?run_id=\(run)&metric_key=h&max_results=20" + (token.map { "&page_token=\(PercentEncoding.encode($0))" } ?? "")
            let page = try api.get(target).json
            seen += page["metrics"]?.arrayValue?.compactMap { $0["step"]?.int64Value } ?? []
            token = page["next_page_token"]?.stringValue
        } while token != nil
        #expect(seen == Array(0..<50))
        #expect(try api.get("/metrics/get-history?run_id=\(run)&metric_key=none").json == .object(JSONObject()))
        #expect(try api.get("/metrics/get-history?run_id=nope&metric_key=h").status == 404)

        let bulk = try api.get("/metrics/get-history-bulk-interval?run_ids=\(run)&metric_key=h&start_step=10&end_step=30&max_results=5").json
        let steps = bulk["metrics"]!.arrayValue!.compactMap { $0["step"]?.int64Value }
        #expect(steps.count == 5)
        #expect(steps.first == 10 && steps.last == 30)
        #expect(bulk["metrics"]!.arrayValue!.allSatisfy { $0["run_id"] == .string(run) })
        #expect(try api.get("/metrics/get-history-bulk-interval?run_ids=\(run)&metric_key=h&start_step=10").status == 400)
    }

    @Test func runSearch_FilterOrderAndPaging() throws {
        let (experiment, _) = try api.makeRun(name: "a")
        for (i, name) in ["b", "c", "d"].enumerated() {
            let run = try api.post("/runs/create", ["experiment_id": .string(experiment), "run_name": .string(name)]).json["run"]!["info"]!["run_id"]!
            _ = try api.post("/runs/log-metric", ["run_id": run, "key": "acc", "value": .double(Double(i)), "timestamp": 1])
            _ = try api.post("/runs/log-parameter", ["run_id": run, "key": "opt", "value": i == 1 ? "sgd" : "adam"])
        }
        let found = try api.post("/runs/search", [
            "experiment_ids": [.string(experiment)], "filter": "metrics.acc >= 0 and params.opt = 'adam'", "order_by": ["metrics.acc DESC"],
        ])
        #expect(found.json["runs"]?.arrayValue?.compactMap { $0["info"]?["run_name"]?.stringValue } == ["d", "b"])
        var names: [String] = []
        var token: String?
        repeat {
            var body: JSONObject = ["experiment_ids": [.string(experiment)], "max_results": 1, "order_by": ["attributes.run_name ASC"]]
            if let token { body.append("page_token", .string(token)) }
            let page = try api.post("/runs/search", .object(body)).json
            names += page["runs"]?.arrayValue?.compactMap { $0["info"]?["run_name"]?.stringValue } ?? []
            token = page["next_page_token"]?.stringValue
        } while token != nil
        #expect(names == ["a", "b", "c", "d"])
        let viaGet = try api.get("/runs/search?experiment_ids=\(experiment)&filter=params.opt+%3D+%27sgd%27")
        #expect(viaGet.json["runs"]?.arrayValue?.count == 1)
        #expect(try api.post("/runs/search", ["experiment_ids": [.string(experiment)], "filter": "metrics.acc > 'x'"]).status == 400)
        #expect(try api.post("/runs/search", ["experiment_ids": [.string(experiment)], "max_results": 50_001]).status == 400)
    }

    @Test func inputsOutputsAndLegacyLogModel() throws {
        let (_, run) = try api.makeRun()
        let r = JSONValue.string(run)
        let dataset: JSONValue = ["name": "digits", "digest": "abc", "source_type": "local", "source": "{\"uri\": \"x\"}", "schema": "{}"]
        let inputs = try api.post("/runs/log-inputs", ["run_id": r, "datasets": [["tags": [["key": "mlflow.data.context", "value": "train"]], "dataset": dataset]]])
        #expect(inputs.status == 200)
        #expect(try api.post("/runs/log-inputs", ["run_id": r, "datasets": [["dataset": ["name": "x"]]]]).status == 400)
        #expect(try api.post("/runs/outputs", ["run_id": r, "models": [["model_id": "m-1", "step": 2]]]).status == 200)
        #expect(try api.post("/runs/log-model", ["run_id": r, "model_json": "{\"artifact_path\": \"model\", \"flavors\": {}}"]).status == 200)
        #expect(try api.post("/runs/log-model", ["run_id": r, "model_json": "not json"]).status == 400)
        let got = try api.get("/runs/get?run_id=\(run)").json["run"]!
        #expect(got["inputs"]?["dataset_inputs"]?.arrayValue?.first?["dataset"]?["name"] == "digits")
        #expect(got["outputs"]?["model_outputs"] == [["model_id": "m-1", "step": 2]])
        let history = got["data"]?["tags"]?.arrayValue?.first { $0["key"] == "mlflow.log-model.history" }?["value"]?.stringValue
        #expect(history.flatMap { try? JSONParser.parse($0) }?.arrayValue?.count == 1)
        // The history outgrows the 8 000-character tag limit and stays one whole JSON list.
        let big = "{\"artifact_path\": \"m\", \"blob\": \"" + String(repeating: "x", count: 1_600) + "\"}"
        for _ in 0..<6 { #expect(try api.post("/runs/log-model", ["run_id": r, "model_json": .string(big)]).status == 200) }
        let grown = try api.get("/runs/get?run_id=\(run)").json["run"]?["data"]?["tags"]?.arrayValue?
            .first { $0["key"] == "mlflow.log-model.history" }?["value"]?.stringValue
        #expect(grown.flatMap { try? JSONParser.parse($0) }?.arrayValue?.count == 7)
    }

    @Test func ajaxMirrorServesTheSameRPCs() throws {
        let result = try api.call(.GET, "/experiments/get?experiment_id=0", prefix: "/ajax-api/2.0/mlflow")
        #expect(result.json["experiment"]?["name"] == "Default")
    }
}
