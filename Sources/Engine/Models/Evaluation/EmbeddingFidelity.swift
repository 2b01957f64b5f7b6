/// How closely a quantized sentence embedder reproduces its Float32 embeddings over a sentence set.
public struct EmbeddingFidelity: Sendable, Equatable {
    /// Mean over sentences of cos(e_fp32, e_quantized).
    public var meanCosine: Double
    /// The lowest of those cosines.
    public var minimumCosine: Double
    /// Fraction of sentences whose nearest other sentence (largest cosine, j ≠ i) is the same under both models.
    public var nearestNeighbourAgreement: Double

    /// Compares two embeddings of the same sentences, row by row.
    public init(reference: [[Float]], candidate: [[Float]]) {
        precondition(reference.count == candidate.count && !reference.isEmpty, "EmbeddingFidelity: sentence counts differ or are zero")
        let cosines = zip(reference, candidate).map { EmbeddingFidelity.cosine($0, $1) }
        meanCosine = cosines.reduce(0, +) / Double(cosines.count)
        minimumCosine = cosines.min()!
        let n = reference.count
        guard n >= 2 else {
            nearestNeighbourAgreement = 1
            return
        }
        var agreeing = 0
        for i in 0 ..< n where EmbeddingFidelity.nearest(i, reference) == EmbeddingFidelity.nearest(i, candidate) { agreeing += 1 }
        nearestNeighbourAgreement = Double(agreeing) / Double(n)
    }

    /// Cosine similarity, accumulated in Double.
    public static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count, "EmbeddingFidelity: vector lengths differ")
        var (dot, na, nb) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return na == 0 || nb == 0 ? 0 : dot / (na.squareRoot() * nb.squareRoot())
    }

    /// The index j ≠ i with the largest cosine to row i (the first on ties).
    private static func nearest(_ i: Int, _ rows: [[Float]]) -> Int {
        var best = (index: -1, cosine: -Double.infinity)
        for j in rows.indices where j != i {
            let c = cosine(rows[i], rows[j])
            if c > best.cosine { best = (j, c) }
        }
        return best.index
    }
}
