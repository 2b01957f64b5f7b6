/// A logged model a run produced at a step.
public struct ModelOutput: Sendable, Equatable {
    public var modelID: String
    public var step: Int64
    public init(modelID: String, step: Int64) {
        self.modelID = modelID
        self.step = step
    }
}
