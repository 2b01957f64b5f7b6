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
