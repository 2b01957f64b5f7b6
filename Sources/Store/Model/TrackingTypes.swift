/// A `{key, value}` pair: experiment, run, input, registry and logged-model tags and params (MLFLOW_API.md §3.3).
public struct KeyValue: Sendable, Equatable, Hashable {
    public var key: String
    public var value: String
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// `active` or `deleted`; MLflow never hard-deletes experiments or runs.
public enum LifecycleStage: String, Sendable {
    case active
    case deleted
}

/// Which lifecycle stages a search returns (MLFLOW_API.md App. C).
public enum ViewType: String, Sendable {
    case activeOnly = "ACTIVE_ONLY"
    case deletedOnly = "DELETED_ONLY"
    case all = "ALL"

    var stages: [String] {
        switch self {
        case .activeOnly: return ["active"]
        case .deletedOnly: return ["deleted"]
        case .all: return ["active", "deleted"]
        }
    }
}

/// Run status (MLFLOW_API.md App. C); the raw value is the enum name MLflow sends.
public enum RunStatus: String, Sendable, CaseIterable {
    case running = "RUNNING"
    case scheduled = "SCHEDULED"
    case finished = "FINISHED"
    case failed = "FAILED"
    case killed = "KILLED"
}

/// One page of a search plus the opaque token for the next one (nil on the last page).
public struct Page<Element: Sendable>: Sendable {
    public var items: [Element]
    public var nextPageToken: String?
}

/// An experiment (MLFLOW_API.md §3.1).
public struct Experiment: Sendable, Equatable {
    public var experimentID: String
    public var name: String
    public var artifactLocation: String
    public var lifecycleStage: LifecycleStage
    public var creationTime: Int64
    public var lastUpdateTime: Int64
    public var tags: [KeyValue]
}

/// One metric observation. NaN is kept as NaN; ±Inf are stored as ±Double.greatestFiniteMagnitude
/// (MLFLOW_API.md §2.3).
public struct Metric: Sendable, Equatable {
    public var key: String
    public var value: Double
    public var timestamp: Int64
    public var step: Int64
    public var modelID: String?
    public var datasetName: String?
    public var datasetDigest: String?

    public init(
        key: String, value: Double, timestamp: Int64, step: Int64 = 0, modelID: String? = nil,
        datasetName: String? = nil, datasetDigest: String? = nil
    ) {
        self.key = key
        self.value = value
        self.timestamp = timestamp
        self.step = step
        self.modelID = modelID
        self.datasetName = datasetName
        self.datasetDigest = datasetDigest
    }

    public static func == (a: Metric, b: Metric) -> Bool {
        a.key == b.key && a.timestamp == b.timestamp && a.step == b.step
            && (a.value == b.value || (a.value.isNaN && b.value.isNaN)) && a.modelID == b.modelID
            && a.datasetName == b.datasetName && a.datasetDigest == b.datasetDigest
    }
}

/// RunInfo (MLFLOW_API.md §3.2).
public struct RunInfo: Sendable, Equatable {
    public var runID: String
    public var runName: String
    public var experimentID: String
    public var userID: String
    public var status: RunStatus
    public var startTime: Int64
    public var endTime: Int64?
    public var artifactURI: String
    public var lifecycleStage: LifecycleStage
}

/// A dataset as logged with a run (MLFLOW_API.md §3.4).
public struct Dataset: Sendable, Equatable {
    public var name: String
    public var digest: String
    public var sourceType: String
    public var source: String
    public var schema: String?
    public var profile: String?

    public init(
        name: String, digest: String, sourceType: String, source: String, schema: String? = nil,
        profile: String? = nil
    ) {
        self.name = name
        self.digest = digest
        self.sourceType = sourceType
        self.source = source
        self.schema = schema
        self.profile = profile
    }
}

/// A dataset used by a run, with input tags such as `mlflow.data.context`.
public struct DatasetInput: Sendable, Equatable {
    public var dataset: Dataset
    public var tags: [KeyValue]
    public init(dataset: Dataset, tags: [KeyValue] = []) {
        self.dataset = dataset
        self.tags = tags
    }
}

/// A logged model a run produced at a step.
public struct ModelOutput: Sendable, Equatable {
    public var modelID: String
    public var step: Int64
    public init(modelID: String, step: Int64) {
        self.modelID = modelID
        self.step = step
    }
}

/// A full run: info, latest metrics (one per key), params, tags, inputs and outputs.
public struct Run: Sendable, Equatable {
    public var info: RunInfo
    public var metrics: [Metric]
    public var params: [KeyValue]
    public var tags: [KeyValue]
    public var datasetInputs: [DatasetInput]
    public var modelInputs: [String]
    public var modelOutputs: [ModelOutput]
}

/// The fields of `runs/create`.
public struct RunCreate: Sendable {
    public var experimentID: String
    public var userID: String
    public var runName: String?
    public var startTime: Int64
    public var tags: [KeyValue]

    public init(
        experimentID: String = "0", userID: String = "unknown", runName: String? = nil, startTime: Int64,
        tags: [KeyValue] = []
    ) {
        self.experimentID = experimentID
        self.userID = userID
        self.runName = runName
        self.startTime = startTime
        self.tags = tags
    }
}

/// The arguments of `runs/search` (MLFLOW_API.md §2.2, §4.1–4.2).
public struct RunSearch: Sendable {
    public var experimentIDs: [String]
    public var filter: String
    public var viewType: ViewType
    public var maxResults: Int
    public var orderBy: [String]
    public var pageToken: String?

    public init(
        experimentIDs: [String], filter: String = "", viewType: ViewType = .activeOnly, maxResults: Int = 1000,
        orderBy: [String] = [], pageToken: String? = nil
    ) {
        self.experimentIDs = experimentIDs
        self.filter = filter
        self.viewType = viewType
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}

/// The arguments of `experiments/search` (MLFLOW_API.md §2.1, §4.3).
public struct ExperimentSearch: Sendable {
    public var filter: String
    public var viewType: ViewType
    public var maxResults: Int
    public var orderBy: [String]
    public var pageToken: String?

    public init(
        filter: String = "", viewType: ViewType = .activeOnly, maxResults: Int = 1000, orderBy: [String] = [],
        pageToken: String? = nil
    ) {
        self.filter = filter
        self.viewType = viewType
        self.maxResults = maxResults
        self.orderBy = orderBy
        self.pageToken = pageToken
    }
}
