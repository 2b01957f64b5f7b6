import JSON
@testable import Server
@testable import Store
import Testing

/// The run shapes MLflowJSON writes straight to bytes (runs/create, get, update, search), checked field by field
/// against MLFLOW_API.md §3: order of fields, omitted empty fields, NaN/Infinity as strings, escapes.
@Suite struct MLflowRunJSONTests {
    private static let info = RunInfo(
        runID: "r1", runName: "brave \"owl\"", experimentID: "7", userID: "ü", status: .finished, startTime: 10,
        endTime: 20, artifactURI: "mlflow-artifacts:/7/r1/artifacts", lifecycleStage: .deleted)

    private static let fullRun = Run(
        info: info,
        metrics: [
            Metric(key: "acc", value: 0.5, timestamp: 1, step: 2), Metric(key: "nan", value: .nan, timestamp: -3, step: 0),
            Metric(key: "inf", value: -.infinity, timestamp: 4, step: 5),
        ],
        params: [KeyValue(key: "lr", value: "1e-3"), KeyValue(key: "path", value: "a\\b\n")],
        tags: [KeyValue(key: "mlflow.runName", value: "brave \"owl\"")],
        datasetInputs: [
            DatasetInput(
                dataset: Dataset(name: "d", digest: "x1", sourceType: "local", source: "{}", schema: "s", profile: nil),
                tags: [KeyValue(key: "mlflow.data.context", value: "train")]),
            DatasetInput(dataset: Dataset(name: "e", digest: "x2", sourceType: "http", source: "u")),
        ],
        modelInputs: ["m-in"], modelOutputs: [ModelOutput(modelID: "m-out", step: 3)])

    private static let expectedInfo: JSONValue = [
        "run_id": "r1", "run_uuid": "r1", "run_name": "brave \"owl\"", "experiment_id": "7", "user_id": "ü",
        "status": "FINISHED", "start_time": 10, "end_time": 20, "artifact_uri": "mlflow-artifacts:/7/r1/artifacts",
        "lifecycle_stage": "deleted",
    ]

    private static func expectedRun(modelInputs: Bool) -> JSONValue {
        var inputs: JSONObject = [
            "dataset_inputs": [
                [
                    "tags": [["key": "mlflow.data.context", "value": "train"]],
                    "dataset": ["name": "d", "digest": "x1", "source_type": "local", "source": "{}", "schema": "s"],
                ],
                ["dataset": ["name": "e", "digest": "x2", "source_type": "http", "source": "u"]],
            ]
        ]
        if modelInputs { inputs.append("model_inputs", [["model_id": "m-in"]]) }
        return [
            "info": expectedInfo,
            "data": [
                "metrics": [
                    ["key": "acc", "value": 0.5, "timestamp": 1, "step": 2],
                    ["key": "nan", "value": "NaN", "timestamp": -3, "step": 0],
                    ["key": "inf", "value": "-Infinity", "timestamp": 4, "step": 5],
                ],
                "params": [["key": "lr", "value": "1e-3"], ["key": "path", "value": "a\\b\n"]],
                "tags": [["key": "mlflow.runName", "value": "brave \"owl\""]],
            ],
            "inputs": .object(inputs),
            "outputs": ["model_outputs": [["model_id": "m-out", "step": 3]]],
        ]
    }

    @Test func fullRun_HasEveryFieldInOrder() throws {
        let parsed = try JSONParser.parse(MLflowJSON.encodedRun(Self.fullRun))
        #expect(parsed == ["run": Self.expectedRun(modelInputs: true)])
    }

    @Test func emptyRun_OmitsEmptyFieldsButKeepsItsObjects() throws {
        var info = Self.info
        info.endTime = nil
        let run = Run(info: info, metrics: [], params: [], tags: [], datasetInputs: [], modelInputs: [], modelOutputs: [])
        let expectedInfo = JSONObject(Self.expectedInfo.objectValue!.members.filter { $0.key != "end_time" }.map { ($0.key, $0.value) })
        let expected: JSONValue = ["run": ["info": .object(expectedInfo), "data": [:], "inputs": [:]]]
        #expect(try JSONParser.parse(MLflowJSON.encodedRun(run)) == expected)
        #expect(String(decoding: MLflowJSON.encodedRun(run), as: UTF8.self).hasSuffix(#""data":{},"inputs":{}}}"#))
    }

    @Test func searchPage_LeavesOutModelInputsAndCarriesTheToken() throws {
        let page = Page(items: [Self.fullRun, Self.fullRun], nextPageToken: "tok")
        let expected: JSONValue = [
            "runs": [Self.expectedRun(modelInputs: false), Self.expectedRun(modelInputs: false)], "next_page_token": "tok",
        ]
        #expect(try JSONParser.parse(MLflowJSON.encodedRunsPage(page)) == expected)
        #expect(MLflowJSON.encodedRunsPage(Page(items: [], nextPageToken: nil)) == Array("{}".utf8))
        #expect(MLflowJSON.encodedRunsPage(Page(items: [], nextPageToken: "")) == Array("{}".utf8))
    }

    @Test func runInfo_IsWrappedForRunsUpdate() throws {
        #expect(try JSONParser.parse(MLflowJSON.encodedRunInfo(Self.info)) == ["run_info": Self.expectedInfo])
    }
}
