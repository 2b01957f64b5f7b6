/// `active` or `deleted`; MLflow never hard-deletes experiments or runs.
public enum LifecycleStage: String, Sendable {
    case active
    case deleted
}
