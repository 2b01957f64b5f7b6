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

    /// `{"run_info": <run info>}`: runs/update's answer.
    static func encodedRunInfo(_ info: RunInfo) -> [UInt8] {
        var w = JSONWriter()
        w.openObject()
        w.key("run_info")
        write(info, to: &w)
        w.closeObject()
        return w.bytes
    }

    /// `{"run": <run>}`: runs/create's and runs/get's answer.
    static func encodedRun(_ run: Run) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: 1024)
        w.openObject()
        w.key("run")
        write(run, includeModelInputs: true, to: &w)
        w.closeObject()
        return w.bytes
    }

    /// runs/search's page. The official server lists model inputs in runs/get but not in runs/search.
    static func encodedRunsPage(_ page: Page<Run>) -> [UInt8] {
        var w = JSONWriter(reservingCapacity: 512 + page.items.count * 768)
        w.openObject()
        if !page.items.isEmpty {
            w.key("runs")
            w.openArray()
            for run in page.items { write(run, includeModelInputs: false, to: &w) }
            w.closeArray()
        }
        if let token = page.nextPageToken, !token.isEmpty { w.member("next_page_token", token) }
        w.closeObject()
        return w.bytes
    }

    // Runs are written straight to bytes, not built as a JSON tree: runs/search answers with up to 50 000 of them,
    // and runs/get is among the most frequent requests.
    private static func write(_ info: RunInfo, to w: inout JSONWriter) {
        w.openObject()
        w.member("run_id", info.runID)
        w.member("run_uuid", info.runID)
        w.member("run_name", info.runName)
        w.member("experiment_id", info.experimentID)
        w.member("user_id", info.userID)
        w.member("status", info.status.rawValue)
        w.member("start_time", info.startTime)
        if let end = info.endTime { w.member("end_time", end) }
        w.member("artifact_uri", info.artifactURI)
        w.member("lifecycle_stage", info.lifecycleStage.rawValue)
        w.closeObject()
    }

    private static func write(_ run: Run, includeModelInputs: Bool, to w: inout JSONWriter) {
        w.openObject()
        w.key("info")
        write(run.info, to: &w)
        w.key("data")
        w.openObject()
        if !run.metrics.isEmpty {
            w.key("metrics")
            w.openArray()
            for m in run.metrics {
                w.openObject()
                w.member("key", m.key)
                w.member("value", m.value)
                w.member("timestamp", m.timestamp)
                w.member("step", m.step)
                w.closeObject()
            }
            w.closeArray()
        }
        if !run.params.isEmpty {
            w.key("params")
            write(run.params, to: &w)
        }
        if !run.tags.isEmpty {
            w.key("tags")
            write(run.tags, to: &w)
        }
        w.closeObject()
        w.key("inputs")
        w.openObject()
        if !run.datasetInputs.isEmpty {
            w.key("dataset_inputs")
            w.openArray()
            for input in run.datasetInputs { write(input, to: &w) }
            w.closeArray()
        }
        if includeModelInputs && !run.modelInputs.isEmpty {
            w.key("model_inputs")
            w.openArray()
            for modelID in run.modelInputs {
                w.openObject()
                w.member("model_id", modelID)
                w.closeObject()
            }
            w.closeArray()
        }
        w.closeObject()
        if !run.modelOutputs.isEmpty {
            w.key("outputs")
            w.openObject()
            w.key("model_outputs")
            w.openArray()
            for output in run.modelOutputs {
                w.openObject()
                w.member("model_id", output.modelID)
                w.member("step", output.step)
                w.closeObject()
            }
            w.closeArray()
            w.closeObject()
        }
        w.closeObject()
    }

    private static func write(_ pairs: [KeyValue], to w: inout JSONWriter) {
        w.openArray()
        for pair in pairs {
            w.openObject()
            w.member("key", pair.key)
            w.member("value", pair.value)
            w.closeObject()
        }
        w.closeArray()
    }

    private static func write(_ input: DatasetInput, to w: inout JSONWriter) {
        w.openObject()
        if !input.tags.isEmpty {
            w.key("tags")
            write(input.tags, to: &w)
        }
        w.key("dataset")
        w.openObject()
        w.member("name", input.dataset.name)
        w.member("digest", input.dataset.digest)
        w.member("source_type", input.dataset.sourceType)
        w.member("source", input.dataset.source)
        if let schema = input.dataset.schema {
            w.member("schema", schema)
        }
        if let profile = input.dataset.profile {
            w.member("profile", profile)
        }
        w.closeObject()
        w.closeObject()
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

    /// A paged list: `{"<name>": [...], "next_page_token": "..."}`, the token only when there is a next page.
    static func page<T>(_ name: String, _ page: Page<T>, _ encode: (T) -> JSONValue) -> JSONValue {
        var o = JSONObject()
        if !page.items.isEmpty { o.append(name, .array(page.items.map(encode))) }
        if let token = page.nextPageToken, !token.isEmpty { o.append("next_page_token", .string(token)) }
        return .object(o)
    }
}
