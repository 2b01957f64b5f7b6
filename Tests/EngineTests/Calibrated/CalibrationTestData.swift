@testable import Engine

/// Small seeded layers for the calibrated-quantizer tests: correlated inputs whose channels differ in scale (a few
/// much larger, as in transformer activations), and a random weight.
enum CalibrationTestData {
    struct Layer {
        var weight: Tensor
        var inputs: Tensor
        var heldOut: Tensor
    }

    static func layer(outputs: Int, channels: Int, samples: Int, seed: UInt64, outlierChannels: Int = 2) -> Layer {
        var rng = SplitMix64(seed: seed)
        let weight = Tensor(shape: [outputs, channels], values: TestSupport.randomValues(outputs * channels, rng: &rng))
        // x = z·M with a random mixing M makes the channels correlated; the first channels are scaled up.
        let latent = max(2, channels / 2)
        let mixing = TestSupport.randomValues(latent * channels, rng: &rng)
        let channelScale = (0 ..< channels).map { j -> Float in j < outlierChannels ? 12 : 0.5 + Float(j % 5) / 4 }
        func sample(_ n: Int) -> Tensor {
            var values = [Float](repeating: 0, count: n * channels)
            for t in 0 ..< n {
                let z = TestSupport.randomValues(latent, rng: &rng)
                for j in 0 ..< channels {
                    var s: Float = 0
                    for k in 0 ..< latent { s += z[k] * mixing[k * channels + j] }
                    values[t * channels + j] = s * channelScale[j]
                }
            }
            return Tensor(shape: [n, channels], values: values)
        }
        return Layer(weight: weight, inputs: sample(samples), heldOut: sample(samples))
    }

    /// ‖X·Wᵀ − (X ⊘ d)·Ŵᵀ‖² / ‖X·Wᵀ‖², the relative layer-output error of a calibrated weight on inputs X.
    static func relativeOutputError(inputs: Tensor, weight: Tensor, quantized: CalibratedWeight) -> Double {
        let reference = MatrixProduct.multiply(inputs, transposed: weight)
        var x = inputs
        if let divisor = quantized.inputDivisor { x = inputs.scalingColumns(by: divisor.map { 1 / $0 }) }
        return relativeError(reference, MatrixProduct.multiply(x, transposed: quantized.weight))
    }

    /// ‖a − b‖² / ‖a‖².
    static func relativeError(_ a: Tensor, _ b: Tensor) -> Double {
        var noise = 0.0, signal = 0.0
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                for i in 0 ..< pa.count {
                    signal += Double(pa[i]) * Double(pa[i])
                    noise += (Double(pa[i]) - Double(pb[i])) * (Double(pa[i]) - Double(pb[i]))
                }
            }
        }
        return noise / signal
    }

    static func matrix(_ t: Tensor) -> [[Float]] {
        (0 ..< t.shape[0]).map { t.rows($0 ..< $0 + 1).values }
    }
}
