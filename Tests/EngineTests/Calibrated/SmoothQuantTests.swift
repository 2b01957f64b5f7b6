@testable import Engine
import Testing

@Suite struct SmoothQuantTests {
    @Test func smoothingFactors_FollowTheMigrationFormula() {
        // s_j = max|X_j|^α / max|W_j|^(1−α); zero statistics keep s = 1.
        let s = SmoothQuant.smoothingFactors(activationMaxima: [4, 1, 0, 9], weightMaxima: [1, 4, 2, 0], alpha: 0.5)
        #expect(s == [2, 0.5, 1, 1])
        let strong = SmoothQuant.smoothingFactors(activationMaxima: [8], weightMaxima: [2], alpha: 0.75)
        // 8^0.75 / 2^0.25 = 2^2.25 / 2^0.25 = 4.
        #expect(abs(strong[0] - 4) < 1e-5)
        #expect(SmoothQuant.smoothingFactors(activationMaxima: [1e-12], weightMaxima: [1e12], alpha: 0.5) == [1e-5])
    }

    @Test func quantize_ScalesWeightColumnsAndReturnsTheDivisor() throws {
        let layer = CalibrationTestData.layer(outputs: 8, channels: 16, samples: 64, seed: 31)
        let options = QuantizationOptions(method: .fixed(.intSymmetric), bits: 8, granularity: .perChannel, clipSearch: ClipSearch.none)
        let result = try SmoothQuant.quantize(weight: layer.weight, inputs: layer.inputs, options: options, alpha: 0.5)
        let calibration = try CalibrationInputs(weight: layer.weight, inputs: layer.inputs)
        let factors = SmoothQuant.smoothingFactors(activationMaxima: calibration.channelMagnitudes().maximum,
                                                   weightMaxima: calibration.weightColumnMaxima(), alpha: 0.5)
        #expect(result.inputDivisor == factors)
        let expected = try Quantizer.quantize(layer.weight.scalingColumns(by: factors), options: options)
        #expect(result.weight == expected.dequantized)
        #expect(result.quantized == expected.quantized)
        // Without activation quantization, (x ⊘ s)·Q(W·diag(s))ᵀ stays close to x·Wᵀ at 8 bits.
        #expect(CalibrationTestData.relativeOutputError(inputs: layer.heldOut, weight: layer.weight, quantized: result) < 1e-3)
    }

    @Test func w8a8_SmoothingLowersOutputErrorWithActivationOutliers() throws {
        let layer = CalibrationTestData.layer(outputs: 32, channels: 64, samples: 256, seed: 32, outlierChannels: 2)
        let weightOptions = QuantizationOptions(method: .fixed(.intSymmetric), bits: 8, granularity: .perChannel, clipSearch: ClipSearch.none)
        let smooth = try SmoothQuant.quantize(weight: layer.weight, inputs: layer.inputs, options: weightOptions)
        let plain = try Quantizer.quantize(layer.weight, options: weightOptions)
        let reference = MatrixProduct.multiply(layer.heldOut, transposed: layer.weight)
        let smoothOut = MatrixProduct.multiply(try perTokenInt8(layer.heldOut.scalingColumns(by: smooth.inputDivisor!.map { 1 / $0 })),
                                               transposed: smooth.weight)
        let plainOut = MatrixProduct.multiply(try perTokenInt8(layer.heldOut), transposed: plain.dequantized)
        let smoothError = CalibrationTestData.relativeError(reference, smoothOut)
        let plainError = CalibrationTestData.relativeError(reference, plainOut)
        #expect(smoothError < plainError, "SmoothQuant \(smoothError) vs W8A8 \(plainError)")
    }

    @Test func badInput_ThrowsClearErrors() throws {
        let layer = CalibrationTestData.layer(outputs: 4, channels: 8, samples: 10, seed: 33)
        let options = QuantizationOptions(method: .fixed(.int), bits: 8)
        #expect(throws: CalibrationError.self) { try SmoothQuant.quantize(weight: layer.weight, inputs: layer.inputs, options: options, alpha: 1.5) }
        #expect(throws: CalibrationError.self) { try SmoothQuant.quantize(weight: layer.weight, inputs: layer.inputs, options: options, alpha: .nan) }
        #expect(throws: CalibrationError.self) {
            try SmoothQuant.quantize(weight: layer.weight, inputs: Tensor(zeros: [10, 9]), options: options)
        }
    }

    /// Dynamic per-token int8 (absmax, symmetric): one scale per row of `x` (§7.3).
    func perTokenInt8(_ x: Tensor) throws -> Tensor {
        try Quantizer.quantize(x, options: QuantizationOptions(method: .fixed(.intSymmetric), bits: 8, granularity: .perChannel,
                                                               clipSearch: ClipSearch.none)).dequantized
    }
}
