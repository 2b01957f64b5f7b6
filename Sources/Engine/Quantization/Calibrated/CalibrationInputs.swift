/// A layer's weight `[out, in]` together with its calibration activations `[n, in]`, checked once, and the input
/// statistics the calibrated quantizers need (QUANT_SPEC §7).
struct CalibrationInputs {
    /// The weight as a matrix `[out, in]`.
    let weight: Tensor
    /// The calibration activations `[n, in]`.
    let inputs: Tensor

    /// Output channels.
    var outputs: Int { weight.shape[0] }
    /// Input channels.
    var channels: Int { weight.shape[1] }
    /// Calibration samples (tokens).
    var samples: Int { inputs.shape[0] }

    /// Checks shapes and values.
    /// - Throws: `CalibrationError.shapeMismatch` unless `weight` is `[out, in]` and `inputs` is `[n, in]` with
    ///   every dimension ≥ 1; `.nonFiniteValues` when either holds NaN or ±∞.
    init(weight: Tensor, inputs: Tensor) throws(CalibrationError) {
        guard weight.rank == 2, weight.shape.allSatisfy({ $0 > 0 }) else {
            throw .shapeMismatch("the weight must be a non-empty [out, in] matrix, got \(weight.shape)")
        }
        guard inputs.rank == 2, inputs.shape[0] > 0, inputs.shape[1] == weight.shape[1] else {
            throw .shapeMismatch("the inputs must be [n, \(weight.shape[1])] with n ≥ 1 to match the weight \(weight.shape), got \(inputs.shape)")
        }
        guard CalibrationInputs.allFinite(weight) else { throw .nonFiniteValues("the weight") }
        guard CalibrationInputs.allFinite(inputs) else { throw .nonFiniteValues("the calibration inputs") }
        self.weight = weight
        self.inputs = inputs
    }

    private static func allFinite(_ tensor: Tensor) -> Bool {
        // x − x is 0 for every finite x and NaN otherwise: one branch-free pass.
        tensor.withUnsafeBufferPointer { values in
            var sum: Float = 0
            for i in 0 ..< values.count { sum += values[i] - values[i] }
            return sum == 0
        }
    }

    /// Per input channel j: mean over samples of |X_j| (AWQ's activation magnitude, §7.2) and max |X_j|
    /// (SmoothQuant's statistic, §7.3), from OpenBLAS `sasum` / `isamax` down each column.
    func channelMagnitudes() -> (mean: [Double], maximum: [Float]) {
        let n = Double(samples)
        let columns = CalibrationInputs.columnStatistics(inputs)
        return (columns.sums.map { Double($0) / n }, columns.maxima)
    }

    /// Per input channel j: max over output rows of |W_{:,j}| (SmoothQuant, §7.3).
    func weightColumnMaxima() -> [Float] {
        CalibrationInputs.columnStatistics(weight).maxima
    }

    /// Σ_i |M_ij| and max_i |M_ij| for every column j of a matrix.
    private static func columnStatistics(_ matrix: Tensor) -> (sums: [Float], maxima: [Float]) {
        let (rows, columns) = (matrix.shape[0], matrix.shape[1])
        return matrix.withUnsafeBufferPointer { m in
            let base = m.baseAddress!
            var sums: [Float] = []
            var maxima: [Float] = []
            for j in 0 ..< columns {
                sums.append(OpenBLAS.sasum(Int32(rows), base + j, Int32(columns)))
                let top = Int(OpenBLAS.isamax(Int32(rows), base + j, Int32(columns)))
                maxima.append(abs(base[j + top * columns]))
            }
            return (sums, maxima)
        }
    }

    /// The Gram matrix XᵀX, `[in, in]` row-major and fully symmetric, from OpenBLAS `ssyrk`.
    func gram() -> [Float] {
        let c = channels
        var g = [Float](repeating: 0, count: c * c)
        inputs.withUnsafeBufferPointer { x in
            g.withUnsafeMutableBufferPointer { out in
                OpenBLAS.ssyrk(OpenBLAS.rowMajor, OpenBLAS.upper, OpenBLAS.trans, Int32(c), Int32(samples), 1, x.baseAddress!,
                               Int32(c), 0, out.baseAddress!, Int32(c))
                for i in 0 ..< c {
                    for j in 0 ..< i { out[i * c + j] = out[j * c + i] }
                }
            }
        }
        return g
    }
}
