@testable import Engine
import Testing

@Suite struct QuantizerTests {
    private func randomTensor(_ shape: [Int], seed: UInt64) -> Tensor {
        var rng = SplitMix64(seed: seed)
        return Tensor(shape: shape, values: TestSupport.randomValues(Tensor.elementCount(of: shape), rng: &rng))
    }

    @Test func granularity_SetsNumberOfScales() throws {
        let t = randomTensor([4, 64], seed: 1)
        let cases: [(Granularity, Int)] = [(.perTensor, 1), (.perChannel, 4), (.perGroup(32), 8), (.perGroup(64), 4)]
        for (granularity, scales) in cases {
            let r = try Quantizer.quantize(t, options: QuantizationOptions(method: .fixed(.int), bits: 4, granularity: granularity))
            #expect(r.quantized.scales.count == scales)
            #expect(r.quantized.codes.count == 4 * 32)
        }
        #expect(throws: FormatError.self) {
            try Quantizer.quantize(t, options: QuantizationOptions(method: .fixed(.int), bits: 4, granularity: .perGroup(48)))
        }
    }

    @Test func finerGranularity_NeverIncreasesError() throws {
        var rng = SplitMix64(seed: 2)
        // Rows with very different ranges: per-channel must beat per-tensor.
        let values = (0 ..< 8 * 64).map { i in Float.random(in: -1 ..< 1, using: &rng) * Float(1 << (i / 64)) }
        let t = Tensor(shape: [8, 64], values: values)
        let tensorMSE = try Quantizer.quantize(t, options: .init(method: .fixed(.int), bits: 4, granularity: .perTensor)).meanSquaredError
        let channelMSE = try Quantizer.quantize(t, options: .init(method: .fixed(.int), bits: 4, granularity: .perChannel)).meanSquaredError
        #expect(channelMSE < tensorMSE)
    }

    @Test func clipSearch_FindsTheMinimumOverTheSweep() throws {
        var rng = SplitMix64(seed: 5)
        let block = TestSupport.valuesWithOutliers(256, outlierEvery: 50, rng: &rng)
        for name in ["int4", "flint4", "pot4", "e2m1"] {
            let q = ElementQuantizer(type: try ElementType(name: name))
            let best = block.withUnsafeBufferPointer { q.bestChoice(for: $0, search: .ant) }
            let base = block.map { abs($0) }.max()!
            for ratio in ClipSearch.ant.ratios {
                let error = block.withUnsafeBufferPointer { q.squaredError($0, scale: base * ratio / q.grid.maxValue) }
                #expect(best.squaredError <= error)
            }
            #expect(best.squaredError < block.withUnsafeBufferPointer { q.squaredError($0, scale: base / q.grid.maxValue) } + 1e-12)
        }
    }

    @Test func ant_PicksPoT_ForPowerOfTwoData() throws {
        var rng = SplitMix64(seed: 7)
        let pot: [Float] = [0, 1, 2, 4, 8, 16, 32, 64]
        var values: [Float] = []
        for _ in 0 ..< 4 {
            values.append(64 * 0.01)
            for _ in 1 ..< 32 {
                let v = pot.randomElement(using: &rng)! * 0.01
                values.append(Bool.random(using: &rng) ? v : -v)
            }
        }
        let r = try Quantizer.quantize(Tensor(shape: [4, 32], values: values), options: .init(method: .ant(.ipf), bits: 4))
        #expect(r.quantized.format.description == "pot4")
        #expect(r.candidateErrors.map(\.type) == ["int4", "pot4", "flint4"])
        #expect(r.meanSquaredError < 1e-12)
    }

    @Test func ant_UsesIntOnly_AboveSixBits() throws {
        let r = try Quantizer.quantize(randomTensor([4, 32], seed: 8), options: .init(method: .ant(.fipf), bits: 8))
        #expect(r.candidateErrors.map(\.type) == ["int8"])
        #expect(r.quantized.format.description == "int8")
    }

    @Test func ant_ChoosesSmallestTotalError_AndUsesUnsignedForNonNegativeData() throws {
        var rng = SplitMix64(seed: 9)
        let values = (0 ..< 256).map { _ in abs(Float.random(in: -1 ..< 1, using: &rng)) }
        let r = try Quantizer.quantize(Tensor(shape: [8, 32], values: values), options: .init(method: .ant(.fipf), bits: 4))
        #expect(r.candidateErrors.map(\.type) == ["ue3m1", "uint4", "upot4", "uflint4"])
        let chosen = r.candidateErrors.min { $0.squaredError < $1.squaredError }!
        #expect(r.quantized.format.description == chosen.type)
        #expect(abs(r.meanSquaredError * 256 - chosen.squaredError) <= 1e-6 * chosen.squaredError)
    }

    @Test func olive_ReducesError_OnTensorsWithOutliers() throws {
        var rng = SplitMix64(seed: 10)
        let values = TestSupport.valuesWithOutliers(8 * 128, outlierEvery: 61, rng: &rng)
        let t = Tensor(shape: [8, 128], values: values)
        let olive = try Quantizer.quantize(t, options: .init(method: .olive(abfloat8: .e2m5, pairRule: .keepLarger), bits: 4))
        let int4 = try Quantizer.quantize(t, options: .init(method: .fixed(.intSymmetric), bits: 4))
        #expect(olive.meanSquaredError < int4.meanSquaredError)
        #expect((olive.outlierFraction ?? 0) > 0)
        #expect(["olive-int4", "olive-flint4"].contains(olive.quantized.format.description))
        #expect(olive.candidateErrors.count == 2)
        // The search's error includes rounding to U and the pruned victims: it equals the real error of the result.
        let chosen = olive.candidateErrors.first { $0.type == olive.quantized.format.description }!
        #expect(abs(chosen.squaredError - olive.meanSquaredError * Double(t.count)) <= 1e-6 * chosen.squaredError)
        let eight = try Quantizer.quantize(t, options: .init(method: .olive(abfloat8: .e4m3, pairRule: .keepLeft), bits: 8))
        #expect(eight.quantized.format.description == "olive-int8-e4m3")
        #expect(eight.meanSquaredError < olive.meanSquaredError)
        #expect(throws: FormatError.self) {
            try Quantizer.quantize(Tensor(zeros: [2, 3]), options: .init(method: .olive(abfloat8: .e2m5, pairRule: .keepLarger), bits: 4))
        }
    }

    @Test func asymmetricInt_StaysWithinHalfAStep() throws {
        var rng = SplitMix64(seed: 12)
        let values = (0 ..< 128).map { _ in Float.random(in: -0.2 ..< 1.7, using: &rng) }
        let r = try Quantizer.quantize(Tensor(shape: [2, 64], values: values),
                                       options: .init(method: .fixed(.intAsymmetric), bits: 4, clipSearch: ClipSearch.none))
        #expect(r.quantized.zeroPoints.count == 2)
        for (b, zero) in r.quantized.zeroPoints.enumerated() {
            #expect((0 ... 15).contains(zero))
            let s = r.quantized.scales[b]
            for i in b * 64 ..< (b + 1) * 64 { #expect(abs(r.dequantized.values[i] - values[i]) <= s / 2 + 1e-6) }
        }
    }

    @Test func fixedFloat_FollowsTensorSignedness() throws {
        let positive = Tensor(shape: [2, 4], values: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
        let r = try Quantizer.quantize(positive, options: .init(method: .fixed(.float(exponentBits: 2)), bits: 4))
        #expect(r.quantized.format.description == "ue2m2")
        let signed = try Quantizer.quantize(randomTensor([2, 4], seed: 4), options: .init(method: .fixed(.float(exponentBits: 2)), bits: 4))
        #expect(signed.quantized.format.description == "e2m1")
    }

    @Test func invalidInputs_Throw() {
        #expect(throws: FormatError.self) {
            try Quantizer.quantize(Tensor(shape: [2, 2], values: [1, .nan, 0, 0]), options: .init(method: .fixed(.int), bits: 4))
        }
        #expect(throws: FormatError.self) { try Quantizer.quantize(Tensor(zeros: [4]), options: .init(method: .fixed(.int), bits: 4)) }
        #expect(throws: FormatError.self) { try Quantizer.quantize(Tensor(zeros: [2, 2]), options: .init(method: .fixed(.int), bits: 7)) }
        #expect(throws: FormatError.self) { try Quantizer.quantize(Tensor(zeros: [2, 2]), options: .init(method: .olive(abfloat8: .e2m5, pairRule: .keepLeft), bits: 6)) }
    }

    @Test func emptyTensors_QuantizeWithoutCrashing() throws {
        for shape in [[0, 8], [3, 0], [2, 0, 4]] {
            for method in [QuantizationMethod.fixed(.int), .ant(.fipf), .olive(abfloat8: .e2m5, pairRule: .keepLarger)] {
                let r = try Quantizer.quantize(Tensor(zeros: shape), options: .init(method: method, bits: 4))
                #expect(r.dequantized.shape == shape)
                #expect(r.quantized.codes.isEmpty)
            }
        }
    }

    @Test func sqnr_IsReportedInDecibels() throws {
        let r = try Quantizer.quantize(randomTensor([4, 64], seed: 13), options: .init(method: .fixed(.int), bits: 8))
        // Uniform data at 8 bits: roughly 6 dB per bit.
        #expect(r.sqnrDecibels > 35 && r.sqnrDecibels < 60)
    }
}

@Suite struct QuantizationMethodParsingTests {
    @Test func parsesEveryCommandLineFormat() throws {
        #expect(try QuantizationMethod(formatName: "int", bits: 4) == .fixed(.int))
        #expect(try QuantizationMethod(formatName: "int-asym", bits: 3) == .fixed(.intAsymmetric))
        #expect(try QuantizationMethod(formatName: "float-e2m1", bits: 4) == .fixed(.float(exponentBits: 2)))
        #expect(try QuantizationMethod(formatName: "float-e4m3", bits: 8) == .fixed(.float(exponentBits: 4)))
        #expect(try QuantizationMethod(formatName: "ant", bits: 4, antSet: .ip) == .ant(.ip))
        #expect(try QuantizationMethod(formatName: "olive", bits: 8, pairRule: .keepLeft) == .olive(abfloat8: .e2m5, pairRule: .keepLeft))
    }

    @Test func rejectsUnknownFormatsAndBadWidths() {
        #expect(throws: FormatError.unknownFormat("apot")) { try QuantizationMethod(formatName: "apot", bits: 4) }
        #expect(throws: FormatError.self) { try QuantizationMethod(formatName: "float-e2m1", bits: 5) }
        #expect(throws: FormatError.self) { try QuantizationMethod(formatName: "olive", bits: 3) }
        #expect(throws: FormatError.self) { try QuantizationMethod(formatName: "int", bits: 7) }
        #expect(throws: FormatError.self) { try QuantizationMethod(formatName: "float-exm1", bits: 4) }
    }
}
