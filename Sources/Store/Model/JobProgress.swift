/// A progress report from the lease holder.
public struct JobProgress: Sendable {
    public var fraction: Double
    public var message: String
    public var bestSoFar: String?
    public init(fraction: Double, message: String, bestSoFar: String? = nil) {
        self.fraction = fraction
        self.message = message
        self.bestSoFar = bestSoFar
    }
}
