/// Inference-time batch normalisation (Ioffe & Szegedy 2015): `y = γ (x − μ) / sqrt(σ² + ε) + β` per channel, with
/// the running mean μ and variance σ². The engine never runs it on its own: it is folded into the preceding
/// convolution at load time (``Conv2D/folding(_:)``).
public struct BatchNorm: Sendable {
    public var gamma: [Float]
    public var beta: [Float]
    public var runningMean: [Float]
    public var runningVariance: [Float]
    public var epsilon: Float

    /// Statistics for `gamma.count` channels.
    public init(gamma: [Float], beta: [Float], runningMean: [Float], runningVariance: [Float], epsilon: Float) {
        precondition([beta.count, runningMean.count, runningVariance.count].allSatisfy { $0 == gamma.count },
                     "BatchNorm: parameter lengths differ")
        self.gamma = gamma
        self.beta = beta
        self.runningMean = runningMean
        self.runningVariance = runningVariance
        self.epsilon = epsilon
    }

    /// The per-channel affine map `y = scale · x + shift` this layer computes.
    public var affine: (scale: [Float], shift: [Float]) {
        var scale = [Float](repeating: 0, count: gamma.count)
        var shift = [Float](repeating: 0, count: gamma.count)
        for c in gamma.indices {
            let s = Double(gamma[c]) / (Double(runningVariance[c]) + Double(epsilon)).squareRoot()
            scale[c] = Float(s)
            shift[c] = Float(Double(beta[c]) - Double(runningMean[c]) * s)
        }
        return (scale, shift)
    }
}
