import Engine
import Testing

@Suite struct OVPCodecTests {
    /// QUANT_SPEC §3.5 worked example: int4 normals, E2M1 bias 2, s = 0.05.
    private let example: [Float] = [0.21, -0.06, 1.95, 0.08, -0.02, -0.98, -2.2, 3.1]

    @Test func workedExample_PaperRule_ByteForByte() {
        let codec = OVPCodec(format: OliveFormat(normal: .int4, pairRule: .keepLarger))
        let bytes = codec.encode(example, scale: 0.05)
        #expect(bytes == [0b0100_1111, 0b0100_1000, 0b1000_1010, 0b1000_0110])
        let decoded = codec.decode(bytes, count: 8, scale: 0.05)
        let expected: [Float] = [0.20, -0.05, 1.60, 0, 0, -0.80, 0, 3.20]
        for (d, e) in zip(decoded, expected) { #expect(abs(d - e) < 1e-6) }
    }

    @Test func workedExample_CodeRule_KeepsLeftOutlier() {
        let codec = OVPCodec(format: OliveFormat(normal: .int4, pairRule: .keepLeft))
        let bytes = codec.encode(example, scale: 0.05)
        #expect(bytes == [0b0100_1111, 0b0100_1000, 0b1000_1010, 0b1101_1000])
        let decoded = codec.decode(bytes, count: 8, scale: 0.05)
        #expect(abs(decoded[6] - -2.40) < 1e-6)
        #expect(decoded[7] == 0)
    }

    @Test func unionGrid_CutoffsMatchSpec() {
        let int4 = OVPCodec(format: OliveFormat(normal: .int4))
        // Outlier when |x/s| > 9.5 for int4 (midpoint of 7 and 12); ties go to the larger value.
        #expect(int4.encode([9.4, 0], scale: 1) == [0b0111_0000])
        #expect(int4.encode([9.6, 0], scale: 1) == [0b0001_1000]) // 12 = 3 << 2: e = 0, m = 1
        let flint4 = OVPCodec(format: OliveFormat(normal: .flint4))
        #expect(flint4.decode(flint4.encode([19.9, 0], scale: 1), count: 2, scale: 1) == [16, 0])
        #expect(flint4.decode(flint4.encode([20.1, 0], scale: 1), count: 2, scale: 1) == [24, 0])
    }

    @Test func flint4Normals_WriteZeroAsPositiveZero() {
        let codec = OVPCodec(format: OliveFormat(normal: .flint4))
        #expect(codec.encode([-0.1, 0], scale: 1) == [0x00])
        #expect(codec.encode([-16, 3], scale: 1) == [0b1100_0011])
    }

    @Test(arguments: [OliveFormat.NormalType.int4, .flint4, .int8], OliveFormat.PairRule.allCases)
    func decodeOfEncode_EqualsFakeQuantization(_ normal: OliveFormat.NormalType, _ rule: OliveFormat.PairRule) {
        for variant in OliveFormat.Abfloat8Variant.allCases where normal == .int8 || variant == .e2m5 {
            let codec = OVPCodec(format: OliveFormat(normal: normal, abfloat8: variant, pairRule: rule))
            var rng = SplitMix64(seed: 11)
            let values = TestSupport.valuesWithOutliers(1001, outlierEvery: 37, rng: &rng)
            let scale = Float(1.2) / codec.maxNormal
            let bytes = codec.encode(values, scale: scale)
            #expect(bytes.count == codec.encodedByteCount(elements: 1001))
            let decoded = codec.decode(bytes, count: values.count, scale: scale)
            var fake = [Float](repeating: .nan, count: values.count)
            let result = values.withUnsafeBufferPointer { v in
                fake.withUnsafeMutableBufferPointer { codec.fakeQuantize(v, scale: scale, into: $0) }
            }
            #expect(decoded == fake)
            #expect(result.stats.outliers > 0)
            // Every pair has at most one non-zero outlier, and its partner decodes to zero.
            let outlierLimit = codec.maxNormal * scale
            for p in 0 ..< values.count / 2 where abs(decoded[2 * p]) > outlierLimit || abs(decoded[2 * p + 1]) > outlierLimit {
                #expect(decoded[2 * p] == 0 || decoded[2 * p + 1] == 0)
            }
            let error = zip(values, decoded).reduce(0.0) { $0 + Double(($1.0 - $1.1) * ($1.0 - $1.1)) }
            #expect(abs(error - result.squaredError) <= 1e-6 * max(1, error))
        }
    }

    @Test func pairRule_KeepLarger_KeepsTheBiggerOutlier() {
        let paper = OVPCodec(format: OliveFormat(normal: .int4, pairRule: .keepLarger))
        let code = OVPCodec(format: OliveFormat(normal: .int4, pairRule: .keepLeft))
        #expect(paper.decode(paper.encode([19, -90], scale: 1), count: 2, scale: 1) == [0, -96])
        #expect(code.decode(code.encode([19, -90], scale: 1), count: 2, scale: 1) == [16, 0])
    }
}
