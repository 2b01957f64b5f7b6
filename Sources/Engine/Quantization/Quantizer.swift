#if canImport(Glibc)
import Glibc
#endif

/// Quantizes tensors of rank ≥ 2 to a `QuantizedTensor` (QUANT_SPEC §0–3).
public enum Quantizer {
    /// Quantizes `tensor` as described by `options`.
    /// - Throws: `FormatError` for unsupported bit-widths, bad granularity, non-finite values or a rank below 2.
    public static func quantize(_ tensor: Tensor, options: QuantizationOptions) throws(FormatError) -> QuantizationResult {
        guard tensor.rank >= 2 else { throw .invalidOption("only tensors of two or more dimensions are quantized, got shape \(tensor.shape)") }
        guard ElementType.supportedBits.contains(options.bits) else {
            throw .unsupportedBits(format: "\(options.method)", bits: options.bits)
        }
        let matrix = tensor.asMatrix()
        let block = try options.granularity.blockSize(rows: matrix.shape[0], columns: matrix.shape[1])
        var hasNegative = false
        var allFinite = true
        tensor.withUnsafeBufferPointer { values in
            for x in values {
                if x < 0 { hasNegative = true }
                if !x.isFinite { allFinite = false }
            }
        }
        guard allFinite else { throw .invalidOption("tensor has NaN or infinite values") }

        let quantized: QuantizedTensor
        var candidateErrors: [(String, Double)] = []
        var oliveStats: OVPStatistics?
        switch options.method {
        case .fixed(let family):
            let type = try fixedType(family, bits: options.bits, signed: hasNegative)
            let quantizer = ElementQuantizer(type: type, rounding: roundingRule(for: type, options: options))
            let search = options.clipSearch ?? .antDefault(bits: options.bits)
            let choices = blockChoices(matrix, block: block, threads: options.threads) { quantizer.bestChoice(for: $0, search: search) }
            quantized = try encode(matrix, shape: tensor.shape, quantizer: quantizer, choices: choices, granularity: options.granularity,
                                   threads: options.threads)
        case .ant(let set):
            let candidates = try set.candidates(bits: options.bits, signed: hasNegative)
            let search = options.clipSearch ?? .antDefault(bits: options.bits)
            var best: (ElementQuantizer, [ElementQuantizer.BlockChoice], Double)?
            for type in candidates {
                let quantizer = ElementQuantizer(type: type, rounding: roundingRule(for: type, options: options))
                let choices = blockChoices(matrix, block: block, threads: options.threads) { quantizer.bestChoice(for: $0, search: search) }
                // score(t) = Σ over blocks of the best mean error (§2.1); blocks are equal-sized, so Σ of sums ranks the same.
                let score = choices.reduce(0) { $0 + $1.squaredError }
                candidateErrors.append((type.description, score))
                if best == nil || score < best!.2 { best = (quantizer, choices, score) }
            }
            quantized = try encode(matrix, shape: tensor.shape, quantizer: best!.0, choices: best!.1, granularity: options.granularity,
                                   threads: options.threads)
        case .olive(let abfloat8, let pairRule):
            guard options.bits == 4 || options.bits == 8 else { throw .unsupportedBits(format: "olive", bits: options.bits) }
            guard matrix.shape[1] % 2 == 0, block % 2 == 0 else {
                throw .invalidOption("OliVe pairs need an even row length and block size, got \(matrix.shape[1]) and \(block)")
            }
            let normals: [OliveFormat.NormalType] = options.bits == 4 ? [.int4, .flint4] : [.int8]
            let search = options.clipSearch ?? .olive
            var best: (OVPCodec, [ElementQuantizer.BlockChoice], Double)?
            for normal in normals {
                let codec = OVPCodec(format: OliveFormat(normal: normal, abfloat8: abfloat8, pairRule: pairRule))
                let choices = blockChoices(matrix, block: block, threads: options.threads) { oliveChoice(codec: codec, block: $0, search: search) }
                let score = choices.reduce(0) { $0 + $1.squaredError }
                candidateErrors.append((codec.format.description, score))
                if best == nil || score < best!.2 { best = (codec, choices, score) }
            }
            let encoded = try encodeOlive(matrix, shape: tensor.shape, codec: best!.0, choices: best!.1, granularity: options.granularity)
            quantized = encoded.0
            oliveStats = encoded.1
        }

        let dequantized = quantized.dequantize(threads: options.threads)
        var signal: Double = 0
        var noise: Double = 0
        tensor.withUnsafeBufferPointer { x in
            dequantized.withUnsafeBufferPointer { q in
                for i in 0 ..< x.count {
                    signal += Double(x[i]) * Double(x[i])
                    let d = Double(q[i]) - Double(x[i])
                    noise += d * d
                }
            }
        }
        let n = Double(max(tensor.count, 1))
        return QuantizationResult(
            quantized: quantized,
            dequantized: dequantized,
            meanSquaredError: noise / n,
            sqnrDecibels: noise == 0 ? .infinity : 10 * log10(signal / noise),
            outlierFraction: oliveStats.map { Double($0.storedOutliers) / n },
            victimFraction: oliveStats.map { Double($0.victims) / n },
            candidateErrors: candidateErrors.map { (type: $0.0, squaredError: $0.1) }
        )
    }

    /// The rounding `options` imply for `type`: the explicit rule, else half-to-even for the fixed int families
    /// (torch.round in the int baselines) and ties-to-larger for grids, ANT's candidates included (§0).
    static func roundingRule(for type: ElementType, options: QuantizationOptions) -> RoundingRule {
        if let rule = options.rounding { return rule }
        if case .fixed = options.method, case .int = type.kind { return .halfToEven }
        return .nearestTiesToLarger
    }

    /// The element type of a fixed family for the tensor's signedness.
    static func fixedType(_ family: QuantizationMethod.FixedFamily, bits: Int, signed: Bool) throws(FormatError) -> ElementType {
        switch family {
        case .int: try ElementType(.int(signed ? .twosComplement : .unsigned), bits: bits)
        case .intSymmetric: try ElementType(.int(.symmetric), bits: bits)
        case .intAsymmetric: try ElementType(.int(.asymmetric), bits: bits)
        case .pot: try ElementType(.pot, bits: bits, signed: signed)
        case .flint: try ElementType(.flint, bits: bits, signed: signed)
        case .float(let e): try ElementType(.float(exponentBits: e), bits: bits, signed: signed)
        }
    }

    /// Runs `choose` on every scale block, in parallel.
    static func blockChoices(_ matrix: Tensor, block: Int, threads: Int,
                             _ choose: @escaping @Sendable (UnsafeBufferPointer<Float>) -> ElementQuantizer.BlockChoice) -> [ElementQuantizer.BlockChoice] {
        let blocks = block == 0 ? 0 : matrix.count / block
        return [ElementQuantizer.BlockChoice](unsafeUninitializedCapacity: blocks) { buffer, initialized in
            if let base = buffer.baseAddress {
                let shared = SharedPointer(base: base)
                Parallel.forEachChunk(blocks, threads: threads) { range in
                    matrix.withUnsafeBufferPointer { values in
                        for b in range {
                            (shared.base + b).initialize(to: choose(UnsafeBufferPointer(rebasing: values[b * block ..< (b + 1) * block])))
                        }
                    }
                }
            }
            initialized = blocks
        }
    }

    /// OliVe's search for one block (§3.2): base = max(|μ + 3σ|, |μ − 3σ|), α = base·i/100, s = α / max(N);
    /// the error includes rounding to U and the pruned victims.
    static func oliveChoice(codec: OVPCodec, block: UnsafeBufferPointer<Float>, search: ClipSearch) -> ElementQuantizer.BlockChoice {
        var sum: Double = 0
        var sumSquares: Double = 0
        for x in block {
            sum += Double(x)
            sumSquares += Double(x) * Double(x)
        }
        let n = Double(max(block.count, 1))
        let mean = sum / n
        let sigma = (max(0, sumSquares / n - mean * mean)).squareRoot()
        let base = Float(max(abs(mean + 3 * sigma), abs(mean - 3 * sigma)))
        guard base > 0, base.isFinite else { return ElementQuantizer.BlockChoice(scale: 1, zeroPoint: 0, squaredError: 0) }
        var best = ElementQuantizer.BlockChoice(scale: 1, zeroPoint: 0, squaredError: .infinity)
        for ratio in search.ratios {
            let scale = base * ratio / codec.maxNormal
            let error = codec.fakeQuantize(block, scale: scale, into: nil).squaredError
            if error < best.squaredError { best = ElementQuantizer.BlockChoice(scale: scale, zeroPoint: 0, squaredError: error) }
        }
        return best
    }

    /// Rounds every block with its chosen scale and packs the codes row by row.
    static func encode(_ matrix: Tensor, shape: [Int], quantizer: ElementQuantizer, choices: [ElementQuantizer.BlockChoice],
                       granularity: Granularity, threads: Int) throws(FormatError) -> QuantizedTensor {
        let rows = matrix.shape[0]
        let columns = matrix.shape[1]
        let bits = quantizer.type.bits
        let block = choices.isEmpty ? max(matrix.count, 1) : matrix.count / choices.count
        let stride = BitPacking.byteCount(codes: columns, bits: bits)
        var packed = [UInt8](repeating: 0, count: rows * stride)
        packed.withUnsafeMutableBufferPointer { out in
            guard let outBase = out.baseAddress else { return }
            let shared = SharedPointer(base: outBase)
            Parallel.forEachChunk(rows, threads: threads, minimumChunk: max(1, 16_384 / max(columns, 1))) { range in
                var codes = [UInt8](repeating: 0, count: columns)
                matrix.withUnsafeBufferPointer { values in
                    for r in range {
                        for c in 0 ..< columns {
                            let i = r * columns + c
                            let choice = choices[i / block]
                            let v = values[i] / choice.scale
                            codes[c] = quantizer.isAsymmetric
                                ? UInt8(quantizer.asymmetricCode(scaled: v, zeroPoint: choice.zeroPoint))
                                : quantizer.quantize(scaled: v).code
                        }
                        codes.withUnsafeBufferPointer { c in
                            BitPacking.pack(c, bits: bits, into: UnsafeMutableBufferPointer(start: shared.base + r * stride, count: stride))
                        }
                    }
                }
            }
        }
        return try QuantizedTensor(
            shape: shape, format: .element(quantizer.type), granularity: granularity, codes: packed,
            scales: choices.map(\.scale),
            zeroPoints: quantizer.isAsymmetric ? choices.map { Int32($0.zeroPoint) } : []
        )
    }

    /// Encodes every block with OVP at its chosen scale.
    static func encodeOlive(_ matrix: Tensor, shape: [Int], codec: OVPCodec, choices: [ElementQuantizer.BlockChoice],
                            granularity: Granularity) throws(FormatError) -> (QuantizedTensor, OVPStatistics) {
        let block = choices.isEmpty ? max(matrix.count, 1) : matrix.count / choices.count
        let bytesPerBlock = codec.encodedByteCount(elements: block)
        var bytes = [UInt8](repeating: 0, count: codec.encodedByteCount(elements: matrix.count))
        var stats = OVPStatistics()
        matrix.withUnsafeBufferPointer { values in
            bytes.withUnsafeMutableBufferPointer { out in
                for (b, choice) in choices.enumerated() {
                    stats += codec.encode(
                        UnsafeBufferPointer(rebasing: values[b * block ..< (b + 1) * block]), scale: choice.scale,
                        into: UnsafeMutableBufferPointer(rebasing: out[b * bytesPerBlock ..< (b + 1) * bytesPerBlock]))
                }
            }
        }
        let quantized = try QuantizedTensor(shape: shape, format: .olive(codec.format), granularity: granularity,
                                            codes: bytes, scales: choices.map(\.scale))
        return (quantized, stats)
    }
}
