/// An activation vector quantized to symmetric integer codes (held as Int16) with one Float32 scale per block:
/// x̂[c] = scales[b]·codes[c], scales[b] = max|x_b| / (2^(bits−1) − 1), codes[c] = round(x[c] / scales[b]).
///
/// Dynamic per-block activation quantization as in LLM.int8()'s vector-wise and llama.cpp's Q8 activations; with
/// 16 bits the rounding error per element is at most max|x_b| / 65 534, below the Float32 accumulation error of a
/// dot product over a few thousand terms. A block holding a NaN or an infinity gets a NaN scale, so the outputs
/// that read it are NaN, as the Float32 product's would be (or ±∞; both report the bad input).
struct BlockQuantizedActivations {
    let codes: [Int16]
    let scales: [Float]
    let blockLength: Int

    /// Quantizes `x` (its count a multiple of `blockLength`) to `bits` bits.
    init(_ x: UnsafeBufferPointer<Float>, bits: Int, blockLength: Int) {
        precondition(GEMVActivations.integerBits.contains(bits), "activations: \(bits) bits (2…16 supported)")
        precondition(blockLength > 0 && x.count % blockLength == 0, "activations: \(x.count) is not a multiple of the block \(blockLength)")
        let largest = Float((1 << (bits - 1)) - 1)
        var codes = [Int16](repeating: 0, count: x.count)
        var scales = [Float](repeating: 0, count: x.count / blockLength)
        for b in 0 ..< scales.count {
            let start = b * blockLength
            var magnitude: Float = 0
            var finite = true
            for c in start ..< start + blockLength {
                magnitude = max(magnitude, abs(x[c]))
                finite = finite && x[c].isFinite
            }
            guard finite else { scales[b] = .nan; continue }
            guard magnitude > 0 else { continue }
            let scale = magnitude / largest
            scales[b] = scale
            for c in start ..< start + blockLength {
                codes[c] = Int16(min(max((x[c] / scale).rounded(), -largest), largest))
            }
        }
        self.codes = codes
        self.scales = scales
        self.blockLength = blockLength
    }

    /// x̂ in Float32.
    func dequantized() -> [Float] {
        (0 ..< codes.count).map { scales[$0 / blockLength] * Float(codes[$0]) }
    }

    /// Σ x̂ over each `segmentLength` elements (a multiple of `blockLength`): Σ_b s_b·Σq, the integer sums exact.
    func segmentSums(segmentLength: Int) -> [Float] {
        let blocksPerSegment = segmentLength / blockLength
        return (0 ..< codes.count / segmentLength).map { g in
            var total: Float = 0
            for b in g * blocksPerSegment ..< (g + 1) * blocksPerSegment {
                var sum = 0
                for c in b * blockLength ..< (b + 1) * blockLength { sum += Int(codes[c]) }
                total += scales[b] * Float(sum)
            }
            return total
        }
    }
}
