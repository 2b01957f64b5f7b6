import JSON
import Store

/// JSON shapes of MLflow's entities (MLFLOW_API.md §3): snake_case names, int64 as numbers, enums by name,
/// unset optional fields left out, and the fields the client misreads when absent (`status`,
/// `lifecycle_stage`) always present.
enum MLflowJSON {
    static func experiment(_ e: Experiment) -> JSONValue {
        var o = JSONObject()
        o.append("experiment_id", .string(e.experimentID))
        o.append("name", .string(e.name))
        o.append("artifact_location", .string(e.artifactLocation))
        o.append("lifecycle_stage", .string(e.lifecycleStage.rawValue))
        o.append("last_update_time", .int(e.lastUpdateTime))
        o.append("creation_time", .int(e.creationTime))
        if !e.tags.isEmpty { o.append("tags", keyValues(e.tags)) }
        return .object(o)
    }

    static func runInfo(_ info: RunInfo) -> JSONValue {
        var o = JSONObject()
        o.reserveCapacity(10)
        o.append("run_id", .string(info.runID))
        o.append("run_uuid", .string(info.runID))
        o.append("run_name", .string(info.runName))
        o.append("experiment_id", .string(info.experimentID))
        o.append("user_id", .string(info.userID))
        o.append("status", .string(info.status.rawValue))
        o.append("start_time", .int(info.startTime))
        if let end = info.endTime { o.append("end_time", .int(end)) }
        o.append("artifact_uri", .string(info.artifactURI))
        o.append("lifecycle_stage", .string(info.lifecycleStage.rawValue))
        return .object(o)
    }

    /// `includeModelInputs`: the official server lists model inputs in runs/get but not in runs/search.
    static func run(_ run: Run, includeModelInputs: Bool = true) -> JSONValue {
        var data = JSONObject()
        if !run.metrics.isEmpty { data.append("metrics", .array(run.metrics.map { metric($0) })) }
        if !run.params.isEmpty { data.append("params", keyValues(run.params)) }
        if !run.tags.isEmpty { data.append("tags", keyValues(run.tags)) }
        var inputs = JSONObject()
        if !run.datasetInputs.isEmpty { inputs.append("dataset_inputs", .array(run.datasetInputs.map(datasetInput))) }
        if includeModelInputs && !run.modelInputs.isEmpty {
            inputs.append("model_inputs", .array(run.modelInputs.map { ["model_id": .string($0)] }))
        }
        var o: JSONObject = ["info": runInfo(run.info), "data": .object(data), "inputs": .object(inputs)]
        if !run.modelOutputs.isEmpty {
            o.append("outputs", ["model_outputs": .array(run.modelOutputs.map { ["model_id": .string($0.modelID), "step": .int($0.step)] })])
        }
        return .object(o)
    }

    /// key, value, timestamp, step — the fields the official server returns (MLFLOW_API.md §3.3).
    static func metric(_ m: Metric) -> JSONValue {
        var o = JSONObject()
        o.reserveCapacity(4)  // a history holds thousands of these: one allocation each, not three
        o.append("key", .string(m.key))
        o.append("value", .double(m.value))
        o.append("timestamp", .int(m.timestamp))
        o.append("step", .int(m.step))
        return .object(o)
    }

    /// A metrics/get-history page as bytes: the same text as `page("metrics", page, metric).encoded()`, written
    /// directly, without a JSON object (and its member array and strings) per point: a page holds up to 25 000.
    static func encodedMetricHistory(_ page: Page<Metric>) -> [UInt8] {
        var out: [UInt8] = []
        // About 85 bytes per point with a short key, a 13-digit timestamp and a full-precision value.
        out.reserveCapacity(64 + page.items.count * 96)
        out.append(UInt8(ascii: "{"))
        if !page.items.isEmpty {
            out.append(contentsOf: #""metrics":["#.utf8)
            // A page is usually one key: its escaped text is encoded once and copied into every point.
            var encodedKey: (key: String, bytes: [UInt8])?
            for (index, m) in page.items.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                if encodedKey?.key != m.key {
                    var bytes: [UInt8] = []
                    JSONValue.encodeString(m.key, into: &bytes)
                    encodedKey = (m.key, bytes)
                }
                out.append(contentsOf: #"{"key":"#.utf8)
                out.append(contentsOf: encodedKey!.bytes)
                out.append(contentsOf: #","value":"#.utf8)
                JSONValue.encodeDouble(m.value, into: &out)
                out.append(contentsOf: #","timestamp":"#.utf8)
                JSONValue.encodeInt(m.timestamp, into: &out)
                out.append(contentsOf: #","step":"#.utf8)
                JSONValue.encodeInt(m.step, into: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        if let token = page.nextPageToken, !token.isEmpty {
            if !page.items.isEmpty { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: #""next_page_token":"#.utf8)
            JSONValue.encodeString(token, into: &out)
        }
        out.append(UInt8(ascii: "}"))
        return out
    }

    static func keyValues(_ pairs: [KeyValue]) -> JSONValue {
        .array(pairs.map { ["key": .string($0.key), "value": .string($0.value)] })
    }

    static func datasetInput(_ input: DatasetInput) -> JSONValue {
        var dataset = JSONObject()
        dataset.append("name", .string(input.dataset.name))
        dataset.append("digest", .string(input.dataset.digest))
        dataset.append("source_type", .string(input.dataset.sourceType))
        dataset.append("source", .string(input.dataset.source))
        if let schema = input.dataset.schema { dataset.append("schema", .string(schema)) }
        if let profile = input.dataset.profile { dataset.append("profile", .string(profile)) }
        var o = JSONObject()
        if !input.tags.isEmpty { o.append("tags", keyValues(input.tags)) }
        o.append("dataset", .object(dataset))
        return .object(o)
    }

    /// A paged list: `{"<name>": [...], "next_page_token": "..."}`, the token only when there is a next page.
    static func page<T>(_ name: String, _ page: Page<T>, _ encode: (T) -> JSONValue) -> JSONValue {
        var o = JSONObject()
        if !page.items.isEmpty { o.append(name, .array(page.items.map(encode))) }
        if let token = page.nextPageToken, !token.isEmpty { o.append("next_page_token", .string(token)) }
        return .object(o)
    }
}
