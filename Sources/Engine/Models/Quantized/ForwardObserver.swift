/// Watches a forward pass: the calibration pass records every matrix layer's inputs, the evaluation counts GEMM work.
/// Installed for the duration of a call with `ForwardObservation.$current.withValue(observer) { … }`; layers look it
/// up through a task-local so that the (value-type, `Sendable`) models need no extra plumbing.
public protocol ForwardObserver: AnyObject, Sendable {
    /// The input rows `[rows, inputs]` of the matrix layer `layer`, before any input division or quantization.
    func layerInput(_ layer: String, _ rows: Tensor)
    /// One `[m, k] · [k, n]` matrix product is about to run.
    func matrixProduct(m: Int, n: Int, k: Int)
}

extension ForwardObserver {
    public func layerInput(_ layer: String, _ rows: Tensor) {}
    public func matrixProduct(m: Int, n: Int, k: Int) {}
}

/// The observer of the current task or thread, if any.
public enum ForwardObservation {
    @TaskLocal public static var current: (any ForwardObserver)?
}
