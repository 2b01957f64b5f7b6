/// How GPTQ and AWQ round a weight: one element type, rounding rule, clip sweep and scale-block size, resolved once
/// from `QuantizationOptions` the way `Quantizer` resolves them, so that a calibrated weight and its round-to-nearest
/// counterpart use the same grid and the same scale rule (QUANT_SPEC §0, §2.1, §7).
struct ElementFormatPlan: Sendable {
    let quantizer: ElementQuantizer
    /// The sweep that picks each block's clip (and so its scale) by squared weight error.
    let search: ClipSearch
    let granularity: Granularity
    /// Elements per scale block of the `[out, in]` matrix.
    let blockSize: Int
    let threads: Int
    let outputs: Int
    let channels: Int

    /// Resolves `options` for `weight` (`[out, in]`).
    ///
    /// Fixed families take their signedness from the weight (§0); ANT picks its type on the round-to-nearest
    /// quantization of `weight` (§2.1) and keeps it. OliVe's outlier-victim pairs do not fit a per-element procedure.
    /// - Throws: `CalibrationError.unsupportedFormat` for OliVe, `FormatError` for bad bits or granularity.
    init(options: QuantizationOptions, weight: Tensor, method: String) throws {
        guard ElementType.supportedBits.contains(options.bits) else {
            throw FormatError.unsupportedBits(format: "\(options.method)", bits: options.bits)
        }
        let type: ElementType
        let defaultRounding: RoundingRule
        switch options.method {
        case .fixed(let family):
            let signed = weight.withUnsafeBufferPointer { $0.contains { $0 < 0 } }
            type = try Quantizer.fixedType(family, bits: options.bits, signed: signed)
            if case .int = type.kind { defaultRounding = .halfToEven } else { defaultRounding = .nearestTiesToLarger }
        case .ant:
            let chosen = try Quantizer.quantize(weight, options: options).quantized.format
            guard case .element(let antType) = chosen else {
                throw CalibrationError.unsupportedFormat("ANT selected \(chosen), not an element type")
            }
            type = antType
            defaultRounding = .nearestTiesToLarger
        case .olive:
            throw CalibrationError.unsupportedFormat("\(method) needs an element format (int, PoT, flint, float or ANT), not OliVe pairs")
        }
        quantizer = ElementQuantizer(type: type, rounding: options.rounding ?? defaultRounding)
        search = options.clipSearch ?? .antDefault(bits: options.bits)
        granularity = options.granularity
        outputs = weight.shape[0]
        channels = weight.shape[1]
        blockSize = try options.granularity.blockSize(rows: outputs, columns: channels)
        threads = options.threads
    }

    /// Block index of element (row, column) in row-major block order (`QuantizedTensor.scales`).
    @inline(__always)
    func blockIndex(row: Int, column: Int) -> Int { (row * channels + column) / blockSize }

    /// The clip sweep's best choice for every block of `matrix` (`[out, in]`), or with `search` instead.
    func choices(for matrix: Tensor, search: ClipSearch? = nil) -> [ElementQuantizer.BlockChoice] {
        let quantizer = self.quantizer
        let sweep = search ?? self.search
        return Quantizer.blockChoices(matrix, block: blockSize, threads: threads) { quantizer.bestChoice(for: $0, search: sweep) }
    }

    /// Every element of `matrix` rounded with its block's choice.
    func fakeQuantize(_ matrix: Tensor, choices: [ElementQuantizer.BlockChoice]) -> Tensor {
        var out = [Float](repeating: 0, count: matrix.count)
        let (quantizer, columns) = (self.quantizer, channels)
        out.withUnsafeMutableBufferPointer { buffer in
            let shared = SharedPointer(base: buffer.baseAddress!)
            let block = blockSize
            Parallel.forEachChunk(outputs, threads: threads, minimumChunk: max(1, 16_384 / columns)) { rows in
                matrix.withUnsafeBufferPointer { w in
                    choices.withUnsafeBufferPointer { chosen in
                        for r in rows {
                            for c in 0 ..< columns {
                                let i = r * columns + c
                                shared.base[i] = quantizer.fakeQuantize(w[i], chosen[i / block])
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: matrix.shape, values: out)
    }

    /// Packs an already fake-quantized matrix with the choices it was rounded with; the returned weight is the packed
    /// form's dequantization, so `weight` and `quantized` agree bit for bit.
    func finish(_ fakeQuantized: Tensor, choices: [ElementQuantizer.BlockChoice], inputDivisor: [Float]?) throws -> CalibratedWeight {
        let packed = try Quantizer.encode(fakeQuantized, shape: fakeQuantized.shape, quantizer: quantizer, choices: choices,
                                          granularity: granularity, threads: threads)
        return CalibratedWeight(weight: packed.dequantize(threads: threads), inputDivisor: inputDivisor, quantized: packed)
    }
}
