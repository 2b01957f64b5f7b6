/// GPTQ (Frantar et al., ICLR 2023; QUANT_SPEC §7.1): quantizes a linear layer's weight column by column and
/// spreads each column's rounding error over the columns not yet quantized, weighted by the inverse Hessian of the
/// layer-output error, H = 2·XᵀX/n.
///
/// ```swift
/// let options = QuantizationOptions(method: .fixed(.intAsymmetric), bits: 4, granularity: .perGroup(128))
/// let result = try GPTQ.quantize(weight: layer.weight, inputs: capturedInputs, options: options)
/// ```
public enum GPTQ {
    /// Quantizes `weight` (`[out, in]`) given calibration `inputs` (`[n, in]`) of the layer.
    ///
    /// Per-tensor and per-channel scales are fitted up front on the original weight; group scales are fitted when
    /// the group's first column is reached, on the weights as updated so far (or up front, see
    /// `Configuration.staticGroups`). Any element format works (int, PoT, flint, float, ANT's pick): each column is
    /// rounded to the format's grid. The returned `inputDivisor` is nil.
    /// - Throws: `CalibrationError` for mismatched shapes, non-finite values, OliVe, a bad configuration or a Hessian
    ///   that stays singular after dampening; `FormatError` for unsupported bits or a group size that does not divide
    ///   the row.
    public static func quantize(weight: Tensor, inputs: Tensor, options: QuantizationOptions,
                                configuration: Configuration = .init()) throws -> CalibratedWeight {
        try configuration.validate()
        let layer = try CalibrationInputs(weight: weight, inputs: inputs)
        let plan = try ElementFormatPlan(options: options, weight: weight, method: "GPTQ")
        let (rows, columns) = (layer.outputs, layer.channels)

        var hessian = layer.gram().map { 2 * Double($0) / Double(layer.samples) }
        var w = weight.values.map(Double.init)
        // Dead inputs (always zero in calibration) get H_jj = 1 and a zero weight column (§7.1).
        for j in 0 ..< columns where hessian[j * columns + j] == 0 {
            hessian[j * columns + j] = 1
            for r in 0 ..< rows { w[r * columns + j] = 0 }
        }

        var groupSize = 0
        if case .perGroup(let g) = options.granularity { groupSize = g }
        let fitGroupsWhenReached = groupSize > 0 && !configuration.staticGroups && !configuration.actOrder
        var choices = fitGroupsWhenReached
            ? [ElementQuantizer.BlockChoice](repeating: .init(scale: 1, zeroPoint: 0, squaredError: 0), count: rows * columns / plan.blockSize)
            : plan.choices(for: weight)

        // Act-order: columns by descending diag(H), ties by index, so the order is deterministic.
        var order = Array(0 ..< columns)
        if configuration.actOrder {
            order.sort { a, b in
                let (ha, hb) = (hessian[a * columns + a], hessian[b * columns + b])
                return ha != hb ? ha > hb : a < b
            }
            w = permutedColumns(w, rows: rows, columns: columns, order: order)
            hessian = permutedColumns(permutedRows(hessian, columns: columns, order: order), rows: columns, columns: columns, order: order)
        }

        var meanDiagonal = 0.0
        for j in 0 ..< columns { meanDiagonal += hessian[j * columns + j] }
        meanDiagonal /= Double(columns)
        for j in 0 ..< columns { hessian[j * columns + j] += configuration.dampening * meanDiagonal }
        guard let u = Cholesky.upperFactorOfInverse(hessian, n: columns) else {
            throw CalibrationError.notPositiveDefinite(
                "the damped Hessian of the \(layer.samples) calibration inputs has no Cholesky factor; raise the dampening (\(configuration.dampening))")
        }

        var q = [Float](repeating: 0, count: rows * columns)
        let blockWidth = min(configuration.blockSize, columns)
        var errors = [Double](repeating: 0, count: rows * blockWidth)
        var groupValues = [Float](repeating: 0, count: max(groupSize, 1))
        let quantizer = plan.quantizer
        let scaleBlock = plan.blockSize
        // Raw pointers throughout: this loop touches every weight once per column pass.
        w.withUnsafeMutableBufferPointer { pw in
            u.withUnsafeBufferPointer { pu in
                errors.withUnsafeMutableBufferPointer { pe in
                    q.withUnsafeMutableBufferPointer { pq in
                        choices.withUnsafeMutableBufferPointer { chosen in
                            let (wBase, uBase, eBase) = (pw.baseAddress!, pu.baseAddress!, pe.baseAddress!)
                            for i1 in stride(from: 0, to: columns, by: blockWidth) {
                                let i2 = min(i1 + blockWidth, columns)
                                let width = i2 - i1
                                for j in i1 ..< i2 {
                                    let original = order[j]
                                    if fitGroupsWhenReached && original % groupSize == 0 {
                                        for r in 0 ..< rows {
                                            for k in 0 ..< groupSize { groupValues[k] = Float(pw[r * columns + j + k]) }
                                            chosen[(r * columns + original) / scaleBlock] =
                                                groupValues.withUnsafeBufferPointer { quantizer.bestChoice(for: $0, search: plan.search) }
                                        }
                                    }
                                    let pivot = pu[j * columns + j]
                                    for r in 0 ..< rows {
                                        let x = pw[r * columns + j]
                                        let rounded = quantizer.fakeQuantize(Float(x), chosen[(r * columns + original) / scaleBlock])
                                        pq[r * columns + j] = rounded
                                        pe[r * width + j - i1] = (x - Double(rounded)) / pivot
                                    }
                                    // Inside the block: W[:, j+1 ..< i2] −= e · U[j, j+1 ..< i2].
                                    if j + 1 < i2 {
                                        OpenBLAS.dger(OpenBLAS.rowMajor, Int32(rows), Int32(i2 - j - 1), -1, eBase + j - i1, Int32(width),
                                                      uBase + j * columns + j + 1, 1, wBase + j + 1, Int32(columns))
                                    }
                                }
                                // Lazy batch update of the columns after the block: W[:, i2...] −= E · U[i1 ..< i2, i2...].
                                if i2 < columns {
                                    OpenBLAS.dgemm(OpenBLAS.rowMajor, OpenBLAS.noTrans, OpenBLAS.noTrans, Int32(rows), Int32(columns - i2), Int32(width),
                                                   -1, eBase, Int32(width), uBase + i1 * columns + i2, Int32(columns),
                                                   1, wBase + i2, Int32(columns))
                                }
                            }
                        }
                    }
                }
            }
        }

        var restored = q
        if configuration.actOrder {
            restored.withUnsafeMutableBufferPointer { out in
                q.withUnsafeBufferPointer { source in
                    for r in 0 ..< rows {
                        for (j, original) in order.enumerated() { out[r * columns + original] = source[r * columns + j] }
                    }
                }
            }
        }
        return try plan.finish(Tensor(shape: [rows, columns], values: restored), choices: choices, inputDivisor: nil)
    }

    /// Columns of a row-major `[rows, columns]` matrix in `order` (new column j = old column order[j]).
    private static func permutedColumns(_ m: [Double], rows: Int, columns: Int, order: [Int]) -> [Double] {
        var out = m
        out.withUnsafeMutableBufferPointer { o in
            m.withUnsafeBufferPointer { source in
                order.withUnsafeBufferPointer { from in
                    for r in 0 ..< rows {
                        for j in 0 ..< columns { o[r * columns + j] = source[r * columns + from[j]] }
                    }
                }
            }
        }
        return out
    }

    /// Rows of a row-major matrix with `columns` columns in `order`.
    private static func permutedRows(_ m: [Double], columns: Int, order: [Int]) -> [Double] {
        var out = m
        out.withUnsafeMutableBufferPointer { o in
            m.withUnsafeBufferPointer { source in
                for (i, from) in order.enumerated() {
                    for c in 0 ..< columns { o[i * columns + c] = source[from * columns + c] }
                }
            }
        }
        return out
    }
}
