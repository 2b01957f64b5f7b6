@testable import Engine
import Testing

@Suite struct AWQTests {
    /// The calibration output error ‖X·Wᵀ − (X ⊘ s)·Ŵᵀ‖² / ‖X·Wᵀ‖².
    private func calibrationError(_ layer: CalibrationTestData.Layer, _ q: CalibratedWeight) -> Double {
        CalibrationTestData.relativeOutputError(inputs: layer.inputs, weight: layer.weight, quantized: q)
    }

    @Test func activationScales_AreNormalisedPowersOfTheMagnitudes() {
        let magnitudes = [4.0, 1.0, 0.25, 0]
        #expect(AWQ.activationScales(magnitudes, alpha: 0) == [1, 1, 1, 1])
        let s = AWQ.activationScales(magnitudes, alpha: 0.5)
        // s_x^0.5 = [2, 1, 0.5, 1e-4 clamp]; √(max·min) = √(2·1e-4).
        let norm = (2 * 1e-4).squareRoot()
        for (value, expected) in zip(s, [2 / norm, 1 / norm, 0.5 / norm, 1e-4 / norm]) {
            #expect(abs(Double(value) - expected) < 1e-5 * expected)
        }
    }

    @Test func equalChannelMagnitudes_KeepNoScalingAndEqualRoundToNearest() throws {
        // Every channel has mean |x| = 1, so every α gives s ≡ 1 and α = 0 (no scaling) is kept.
        var rng = SplitMix64(seed: 21)
        let inputs = Tensor(shape: [64, 16], values: (0 ..< 64 * 16).map { _ in Bool.random(using: &rng) ? 1 : -1 })
        let weight = Tensor(shape: [8, 16], values: TestSupport.randomValues(8 * 16, rng: &rng))
        let options = QuantizationOptions(method: .fixed(.intAsymmetric), bits: 4, granularity: .perGroup(8))
        let awq = try AWQ.quantize(weight: weight, inputs: inputs, options: options, configuration: .init(searchClip: false))
        #expect(awq.inputDivisor == nil)
        let rtn = try Quantizer.quantize(weight, options: options)
        #expect(awq.weight == rtn.dequantized)
        #expect(awq.quantized == rtn.quantized)
    }

    @Test(arguments: [3, 4])
    func outputError_NeverWorseThanRoundToNearest_AndLowerWithOutlierChannels(bits: Int) throws {
        let layer = CalibrationTestData.layer(outputs: 24, channels: 48, samples: 256, seed: 22, outlierChannels: 3)
        for granularity in [Granularity.perChannel, .perGroup(16), .perTensor] {
            let options = QuantizationOptions(method: .fixed(.intAsymmetric), bits: bits, granularity: granularity, clipSearch: ClipSearch.none)
            let rtn = try Quantizer.quantize(layer.weight, options: options)
            let rtnError = calibrationError(layer, CalibratedWeight(weight: rtn.dequantized, inputDivisor: nil, quantized: nil))
            for searchClip in [false, true] {
                let awq = try AWQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options,
                                           configuration: .init(searchClip: searchClip))
                let awqError = calibrationError(layer, awq)
                print("AWQ W\(bits) \(granularity) clip \(searchClip): \(awqError) vs RTN \(rtnError), scaled \(awq.inputDivisor != nil)")
                // α = 0 is plain round-to-nearest, so the search can only lower the calibration error.
                #expect(awqError <= rtnError * (1 + 1e-6))
                // With channel or group scales the outlier channels make scaling pay off.
                if granularity != .perTensor { #expect(awqError < rtnError * 0.8) }
                #expect(awq.quantized.map { $0.dequantize() } == awq.weight)
            }
        }
    }

    @Test func clipSearch_NeverRaisesTheCalibrationError_PerChannel() throws {
        // Per channel, each row's output error is exact (no cross-block terms), so keeping the incumbent clip among
        // the candidates makes the clip search monotone.
        let layer = CalibrationTestData.layer(outputs: 16, channels: 32, samples: 128, seed: 23)
        let options = QuantizationOptions(method: .fixed(.int), bits: 3, granularity: .perChannel)
        let plain = try AWQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options, configuration: .init(searchClip: false))
        let clipped = try AWQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options)
        #expect(calibrationError(layer, clipped) <= calibrationError(layer, plain) * (1 + 1e-6))
    }

    @Test func badInput_ThrowsClearErrors() throws {
        let layer = CalibrationTestData.layer(outputs: 4, channels: 8, samples: 10, seed: 24)
        let options = QuantizationOptions(method: .fixed(.int), bits: 4)
        #expect(throws: CalibrationError.self) { try AWQ.quantize(weight: layer.weight, inputs: Tensor(zeros: [10, 4]), options: options) }
        #expect(throws: CalibrationError.self) {
            try AWQ.quantize(weight: layer.weight, inputs: layer.inputs, options: options, configuration: .init(gridPoints: 0))
        }
        var inf = layer.weight.values
        inf[0] = .infinity
        #expect(throws: CalibrationError.nonFiniteValues("the weight")) {
            try AWQ.quantize(weight: Tensor(shape: [4, 8], values: inf), inputs: layer.inputs, options: options)
        }
    }
}
