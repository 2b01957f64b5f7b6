@testable import Engine
import Testing

/// `GEMVActivations.integer`: the block quantizer, the dispatch to the integer kernels, and the product they
/// compute, W·x̂, checked against Float64 references of both W·x̂ and W·x.
@Suite struct IntegerActivationGEMVTests {
    @Test func blockQuantizer_RoundsEachBlockToItsOwnScale() {
        let x: [Float] = [0.3, -1.0, 0.25, 0.0, /* second block */ 0, 0, 0, 0,
                          /* third */ 3, -1.2, 0.75, 1, /* fourth */ -2, 2, 1, 0.1]
        let q = x.withUnsafeBufferPointer { BlockQuantizedActivations($0, bits: 8, blockLength: 4) }
        let expectedScales: [Float] = [1, 0, 3, 2].map { $0 / 127 }
        let expectedCodes: [Int16] = [38, -127, 32, 0, 0, 0, 0, 0, 127, -51, 32, 42]
        #expect(q.scales == expectedScales)
        #expect(Array(q.codes[0 ..< 12]) == expectedCodes)
        let dequantized = q.dequantized()
        for c in 0 ..< x.count {
            #expect(abs(dequantized[c] - x[c]) <= q.scales[c / 4] / 2 * 1.0001, "element \(c)")
        }
        // Σ x̂ per segment of two blocks is Σ_b s_b·Σq.
        let sums = q.segmentSums(segmentLength: 8)
        #expect(sums.count == 2)
        #expect(abs(sums[0] - dequantized[0 ..< 8].reduce(0, +)) < 1e-6)
        #expect(abs(sums[1] - dequantized[8 ..< 16].reduce(0, +)) < 1e-6)
    }

    @Test func blockQuantizer_SixteenBitsKeepsTheRelativeErrorBelowOneIn65534() {
        var rng = SplitMix64(seed: 91)
        let x = TestSupport.valuesWithOutliers(1024, outlierEvery: 97, rng: &rng)
        let q = x.withUnsafeBufferPointer { BlockQuantizedActivations($0, bits: 16, blockLength: 128) }
        let dequantized = q.dequantized()
        for b in 0 ..< 8 {
            let magnitude = x[b * 128 ..< (b + 1) * 128].map(abs).max()!
            #expect(q.scales[b] == magnitude / 32767)
            for c in b * 128 ..< (b + 1) * 128 {
                #expect(abs(Double(dequantized[c]) - Double(x[c])) <= Double(magnitude) / 65534 * 1.0001)
            }
        }
    }

    @Test func blockQuantizer_NonFiniteBlockGetsANaNScale() {
        let x: [Float] = [1, .infinity, 2, 3, 1, 2, 3, 4]
        let q = x.withUnsafeBufferPointer { BlockQuantizedActivations($0, bits: 16, blockLength: 4) }
        #expect(q.scales[0].isNaN && q.scales[1] == 4.0 / 32767)
    }

    @Test func activationBlockLength_IsTheGCDOfSegmentAnd128() throws {
        var rng = SplitMix64(seed: 92)
        let cases: [(Int, Granularity, Int)] = [
            (4096, .perGroup(128), 128), (4096, .perChannel, 128), (384, .perTensor, 128),
            (192, .perChannel, 64), (192, .perGroup(64), 64), (144, .perChannel, 16), (96, .perGroup(32), 32),
        ]
        for (k, granularity, expected) in cases {
            let weights = Tensor(shape: [2, k], values: TestSupport.randomValues(2 * k, rng: &rng))
            let q = try Quantizer.quantize(weights, options: .init(method: .fixed(.int), bits: 4, granularity: granularity)).quantized
            #expect(PackedMatrix(q).activationBlockLength == expected, "\(k) \(granularity)")
        }
    }

    /// Every uniform int4 and int8 encoding, shapes on which the integer kernels apply and some on which they do
    /// not, 8 and 16 activation bits, 1–3 threads. Bounds, per output:
    /// * against W·x̂ (Float64): the Float32 bound of `PackedMatrixTests` (4·K·2⁻²⁴ times Σ|ŵ·x̂| plus the
    ///   offset-cancellation term), since the integer part is exact and only the scaling and summing round;
    /// * against W·x (Float64): that plus Σ_c |ŵ_c|·s_b/2, the activation rounding.
    @Test func integerActivations_MatchFloat64References_OnEveryIntegerPath() throws {
        var rng = SplitMix64(seed: 93)
        let formats: [(String, QuantizationMethod, Int)] = [
            ("int4", .fixed(.int), 4), ("int4-asym", .fixed(.intAsymmetric), 4), ("uint4", .fixed(.int), 4),
            ("int8", .fixed(.int), 8), ("int8-asym", .fixed(.intAsymmetric), 8), ("uint8", .fixed(.int), 8),
        ]
        let shapes: [(Int, Int, [Granularity])] = [
            (7, 64, [.perChannel, .perTensor]),
            (19, 384, [.perGroup(128), .perChannel, .perTensor, .perGroup(64)]),
            (33, 192, [.perGroup(64), .perChannel, .perGroup(32)]),
            (5, 144, [.perChannel, .perGroup(16)]),
        ]
        for (rows, k, granularities) in shapes {
            let values = TestSupport.valuesWithOutliers(rows * k, outlierEvery: 41, rng: &rng)
            let weights = Tensor(shape: [rows, k], values: values)
            let positive = Tensor(shape: [rows, k], values: values.map { abs($0) })
            let x = TestSupport.valuesWithOutliers(k, outlierEvery: 29, rng: &rng)
            for (label, method, bits) in formats {
                for granularity in granularities {
                    let q = try Quantizer.quantize(label.hasPrefix("uint") ? positive : weights,
                                                   options: .init(method: method, bits: bits, granularity: granularity)).quantized
                    let matrix = PackedMatrix(q)
                    let w = q.dequantize().values
                    let signedNibbles = bits == 4 && matrix.uniformInt4Offset == 8
                    let blockLength = matrix.activationBlockLength
                    let expectsKernel = CPUFeatures.hasHaswellFeatures && (bits == 8 ? blockLength % 32 == 0 : blockLength % 64 == 0)
                    #expect(matrix.hasIntegerActivationKernel == expectsKernel, "\(label) \(granularity) \(rows)×\(k)")
                    #expect(!PackedMatrix(q, portableKernelsOnly: true).hasIntegerActivationKernel)
                    for activationBits in [8, 16] {
                        let quantized = x.withUnsafeBufferPointer { BlockQuantizedActivations($0, bits: activationBits, blockLength: blockLength) }
                        let xHat = quantized.dequantized()
                        for threads in [1, 2, 3] {
                            let y = matrix.gemv(x, activations: .integer(bits: activationBits), threads: threads)
                            for r in 0 ..< rows {
                                var exact: Double = 0, ideal: Double = 0, magnitude: Double = 0, activationError: Double = 0
                                var cancellation: Double = 0
                                for c in 0 ..< k {
                                    let weight = Double(w[r * k + c])
                                    exact += weight * Double(xHat[c])
                                    ideal += weight * Double(x[c])
                                    magnitude += abs(weight * Double(xHat[c]))
                                    activationError += abs(weight) * Double(quantized.scales[c / blockLength]) / 2
                                    // Σ(u − c)·x̂ is computed as Σu·x̂ − c·Σx̂ with c = 8 (signed nibbles) + |z|.
                                    let block = (r * k + c) / q.blockSize
                                    let shift = (signedNibbles ? 8 : 0) + Double(q.zeroPoints.isEmpty ? 0 : abs(q.zeroPoints[block]))
                                    cancellation += 2 * Double(abs(q.scales[block])) * shift * abs(Double(xHat[c]))
                                }
                                let rounding = 4 * Double(k) * 0x1p-24 * (magnitude + cancellation) + 1e-30
                                let where_ = "\(label) \(granularity) \(rows)×\(k) A\(activationBits) threads=\(threads) r=\(r)"
                                #expect(abs(Double(y[r]) - exact) <= rounding, "W·x̂ \(where_)")
                                #expect(abs(Double(y[r]) - ideal) <= rounding + activationError * 1.0001, "W·x \(where_)")
                            }
                        }
                    }
                }
            }
        }
    }

    @Test func integerActivations_OnOtherFormats_EqualTheFloatProductOfXHat() throws {
        var rng = SplitMix64(seed: 94)
        let weights = Tensor(shape: [9, 256], values: TestSupport.randomValues(9 * 256, rng: &rng))
        let x = TestSupport.randomValues(256, rng: &rng)
        for method in [QuantizationMethod.fixed(.flint), .fixed(.pot), .olive(abfloat8: .e2m5, pairRule: .keepLarger)] {
            let q = try Quantizer.quantize(weights, options: .init(method: method, bits: 4, granularity: .perChannel)).quantized
            let matrix = PackedMatrix(q)
            #expect(!matrix.hasIntegerActivationKernel)
            let xHat = x.withUnsafeBufferPointer { BlockQuantizedActivations($0, bits: 16, blockLength: matrix.activationBlockLength) }.dequantized()
            #expect(matrix.gemv(x, activations: .integer(bits: 16)) == matrix.gemv(xHat), "\(method)")
        }
    }
}
