@testable import Engine
import Testing

@Suite struct GPTQTests {
    private static let minMaxInt4 = QuantizationOptions(method: .fixed(.intAsymmetric), bits: 4, granularity: .perChannel,
                                                        clipSearch: ClipSearch.none, threads: 1)

    private func maxDifference(_ engine: Tensor, _ reference: [[Double]]) -> Double {
        var worst = 0.0
        for (r, row) in reference.enumerated() {
            for (c, value) in row.enumerated() { worst = max(worst, abs(Double(engine[r, c]) - value)) }
        }
        return worst
    }

    @Test(arguments: [(false, 4), (false, 128), (true, 4), (true, 3)])
    func perChannel_MatchesStraightforwardFloat64Implementation(actOrder: Bool, blockSize: Int) throws {
        let layer = CalibrationTestData.layer(outputs: 6, channels: 16, samples: 48, seed: 11)
        let result = try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs, options: Self.minMaxInt4,
                                       configuration: .init(blockSize: blockSize, actOrder: actOrder))
        let reference = ReferenceGPTQ.quantize(weight: CalibrationTestData.matrix(layer.weight),
                                               inputs: CalibrationTestData.matrix(layer.inputs),
                                               settings: .init(actOrder: actOrder))
        #expect(maxDifference(result.weight, reference) < 1e-6)
        #expect(result.inputDivisor == nil)
        // The act-order permutation is undone: each row is on its own scale's grid, in the original column order.
        let rtn = try Quantizer.quantize(layer.weight, options: Self.minMaxInt4)
        #expect(result.quantized?.scales == rtn.quantized.scales)
        #expect(result.quantized?.zeroPoints == rtn.quantized.zeroPoints)
        #expect(result.quantized.map { $0.dequantize(threads: 1) } == result.weight)
    }

    @Test(arguments: [8, 2])
    func groupScales_FittedWhenReached_MatchReference(blockSize: Int) throws {
        let layer = CalibrationTestData.layer(outputs: 5, channels: 16, samples: 40, seed: 12)
        var options = Self.minMaxInt4
        options.granularity = .perGroup(4)
        let result = try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options,
                                       configuration: .init(blockSize: blockSize, actOrder: false))
        let reference = ReferenceGPTQ.quantize(weight: CalibrationTestData.matrix(layer.weight),
                                               inputs: CalibrationTestData.matrix(layer.inputs),
                                               settings: .init(group: 4))
        #expect(maxDifference(result.weight, reference) < 1e-6)
        #expect(result.quantized?.scales.count == 5 * 4)
        // Scales fitted on updated weights differ from the ones fitted on the original weight.
        let staticScales = try Quantizer.quantize(layer.weight, options: options).quantized.scales
        #expect(result.quantized?.scales != staticScales)
    }

    @Test func actOrderWithGroups_UsesStaticGroups() throws {
        let layer = CalibrationTestData.layer(outputs: 5, channels: 16, samples: 40, seed: 13)
        var options = Self.minMaxInt4
        options.granularity = .perGroup(8)
        let result = try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options,
                                       configuration: .init(blockSize: 4, actOrder: true))
        let reference = ReferenceGPTQ.quantize(weight: CalibrationTestData.matrix(layer.weight),
                                               inputs: CalibrationTestData.matrix(layer.inputs),
                                               settings: .init(group: 8, actOrder: true, staticGroups: true))
        #expect(maxDifference(result.weight, reference) < 1e-6)
        #expect(result.quantized?.scales == (try Quantizer.quantize(layer.weight, options: options)).quantized.scales)
    }

    @Test func deadInputColumn_GetsZeroWeight() throws {
        let layer = CalibrationTestData.layer(outputs: 4, channels: 8, samples: 30, seed: 14)
        var values = layer.inputs.values
        for t in 0 ..< 30 { values[t * 8 + 5] = 0 }
        let result = try GPTQ.quantize(weight: layer.weight, inputs: Tensor(shape: [30, 8], values: values), options: Self.minMaxInt4)
        for r in 0 ..< 4 { #expect(result.weight[r, 5] == 0) }
    }

    @Test func lowersOutputError_VersusRoundToNearest_OnHeldOutInputs() throws {
        let layer = CalibrationTestData.layer(outputs: 32, channels: 64, samples: 512, seed: 15)
        for bits in [3, 4] {
            for granularity in [Granularity.perChannel, .perGroup(16)] {
                let options = QuantizationOptions(method: .fixed(.intAsymmetric), bits: bits, granularity: granularity, clipSearch: ClipSearch.none)
                let rtn = try Quantizer.quantize(layer.weight, options: options)
                let gptq = try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options)
                let rtnError = CalibrationTestData.relativeOutputError(
                    inputs: layer.heldOut, weight: layer.weight,
                    quantized: CalibratedWeight(weight: rtn.dequantized, inputDivisor: nil, quantized: rtn.quantized))
                let gptqError = CalibrationTestData.relativeOutputError(inputs: layer.heldOut, weight: layer.weight, quantized: gptq)
                #expect(gptqError < rtnError, "W\(bits) \(granularity): GPTQ \(gptqError) vs RTN \(rtnError)")
            }
        }
    }

    @Test(arguments: ["int", "flint", "pot", "e2m1", "ant"])
    func otherElementGrids_RoundToTheirGridAndBeatRoundToNearest(format: String) throws {
        let layer = CalibrationTestData.layer(outputs: 16, channels: 32, samples: 256, seed: 16)
        let method: QuantizationMethod = switch format {
        case "int": .fixed(.int)
        case "flint": .fixed(.flint)
        case "pot": .fixed(.pot)
        case "e2m1": .fixed(.float(exponentBits: 2))
        default: .ant(.ipf)
        }
        let options = QuantizationOptions(method: method, bits: 4, granularity: .perChannel)
        let gptq = try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options)
        let rtn = try Quantizer.quantize(layer.weight, options: options)
        // Packed and fake-quantized forms agree, so every value lies on the grid times its scale.
        #expect(gptq.quantized.map { $0.dequantize() } == gptq.weight)
        let rtnError = CalibrationTestData.relativeOutputError(
            inputs: layer.heldOut, weight: layer.weight, quantized: CalibratedWeight(weight: rtn.dequantized, inputDivisor: nil, quantized: nil))
        let gptqError = CalibrationTestData.relativeOutputError(inputs: layer.heldOut, weight: layer.weight, quantized: gptq)
        #expect(gptqError < rtnError, "\(format): GPTQ \(gptqError) vs RTN \(rtnError)")
    }

    @Test func badInput_ThrowsClearErrors() throws {
        let layer = CalibrationTestData.layer(outputs: 4, channels: 8, samples: 10, seed: 17)
        #expect(throws: CalibrationError.self) {
            try GPTQ.quantize(weight: layer.weight, inputs: Tensor(zeros: [10, 7]), options: Self.minMaxInt4)
        }
        var nan = layer.inputs.values
        nan[3] = .nan
        #expect(throws: CalibrationError.nonFiniteValues("the calibration inputs")) {
            try GPTQ.quantize(weight: layer.weight, inputs: Tensor(shape: [10, 8], values: nan), options: Self.minMaxInt4)
        }
        #expect(throws: CalibrationError.self) {
            try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs,
                              options: QuantizationOptions(method: .olive(abfloat8: .e4m3, pairRule: .keepLarger), bits: 4))
        }
        #expect(throws: CalibrationError.self) {
            try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs, options: Self.minMaxInt4, configuration: .init(blockSize: 0))
        }
        #expect(throws: FormatError.self) {
            try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs,
                              options: QuantizationOptions(method: .fixed(.int), bits: 4, granularity: .perGroup(3)))
        }
        #expect(throws: FormatError.self) {
            try GPTQ.quantize(weight: layer.weight, inputs: layer.inputs, options: QuantizationOptions(method: .fixed(.int), bits: 7))
        }
        // All-zero inputs and no dampening: every column is dead, H = I stays invertible.
        let zeros = try GPTQ.quantize(weight: layer.weight, inputs: Tensor(zeros: [10, 8]), options: Self.minMaxInt4,
                                      configuration: .init(dampening: 0))
        #expect(zeros.weight == Tensor(zeros: [4, 8]))
    }

    @Test func cholesky_UpperFactorOfInverse_AcrossSeveralPanels() throws {
        let n = 150
        var rng = SplitMix64(seed: 18)
        let b = TestSupport.randomValues(n * n, rng: &rng).map(Double.init)
        // A = B·Bᵀ + n·I is symmetric positive definite.
        var a = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n {
            for j in 0 ..< n {
                var s = i == j ? Double(n) : 0
                for k in 0 ..< n { s += b[i * n + k] * b[j * n + k] }
                a[i * n + j] = s
            }
        }
        let u = try #require(Cholesky.upperFactorOfInverse(a, n: n))
        var worst = 0.0
        for i in 0 ..< n {
            for j in 0 ..< n {
                if j < i { #expect(u[i * n + j] == 0) }
                // (UᵀU·A)_ij should be δ_ij.
                var s = 0.0
                for k in 0 ..< n {
                    var uu = 0.0
                    for p in 0 ... min(i, k) { uu += u[p * n + i] * u[p * n + k] }
                    s += uu * a[k * n + j]
                }
                worst = max(worst, abs(s - (i == j ? 1 : 0)))
            }
        }
        #expect(worst < 1e-9)
        #expect((0 ..< n).allSatisfy { u[$0 * n + $0] > 0 })
        var indefinite = a
        indefinite[0] = -1
        #expect(Cholesky.upperFactorOfInverse(indefinite, n: n) == nil)
    }
}
