@testable import Engine
import Testing

@Suite struct PackedMatrixTests {
    static let cases: [(String, QuantizationOptions)] = [
        ("int8/channel", .init(method: .fixed(.int), bits: 8, granularity: .perChannel)),
        ("int8/group32", .init(method: .fixed(.int), bits: 8, granularity: .perGroup(32))),
        ("int4/group32", .init(method: .fixed(.int), bits: 4, granularity: .perGroup(32))),
        ("int4/channel", .init(method: .fixed(.int), bits: 4, granularity: .perChannel)),
        ("int4/tensor", .init(method: .fixed(.int), bits: 4, granularity: .perTensor)),
        ("int3/group32", .init(method: .fixed(.int), bits: 3, granularity: .perGroup(32))),
        ("int2/channel", .init(method: .fixed(.int), bits: 2, granularity: .perChannel)),
        ("int4-asym/group32", .init(method: .fixed(.intAsymmetric), bits: 4, granularity: .perGroup(32))),
        ("int8-asym/group16", .init(method: .fixed(.intAsymmetric), bits: 8, granularity: .perGroup(16))),
        ("uint8/tensor", .init(method: .fixed(.int), bits: 8, granularity: .perTensor)),
        ("int5-asym/channel", .init(method: .fixed(.intAsymmetric), bits: 5, granularity: .perChannel)),
        ("flint4/channel", .init(method: .fixed(.flint), bits: 4, granularity: .perChannel)),
        ("pot4/group32", .init(method: .fixed(.pot), bits: 4, granularity: .perGroup(32))),
        ("e3m2/channel", .init(method: .fixed(.float(exponentBits: 3)), bits: 6, granularity: .perChannel)),
        ("ovp4/channel", .init(method: .olive(abfloat8: .e2m5, pairRule: .keepLarger), bits: 4, granularity: .perChannel)),
        ("ovp4/group32", .init(method: .olive(abfloat8: .e2m5, pairRule: .keepLeft), bits: 4, granularity: .perGroup(32))),
        ("ovp8/channel", .init(method: .olive(abfloat8: .e4m3, pairRule: .keepLarger), bits: 8, granularity: .perChannel)),
    ]

    /// Checks y against a Float64 product of the dequantized weights. Stated bound, per output:
    /// |y − y_ref| ≤ 4·K·2⁻²⁴·Σ|ŵ·x| (a Float32 sum of K products has error below K·ε·Σ|terms|; ×4 covers the
    /// table rounding and the per-block scaling).
    /// `cancellation[r]` widens the bound of row r for kernels that compute Σ(u − c)·x as Σu·x − c·Σx, with
    /// u = q + c the stored code (see `offsetCancellation`).
    private func check(_ y: [Float], weights: Tensor, x: [Float], batch: Int, label: String, cancellation: [Double]? = nil) {
        let rows = weights.shape[0]
        let k = weights.shape[1]
        let w = weights.values
        for n in 0 ..< batch {
            for r in 0 ..< rows {
                var reference: Double = 0
                var magnitude: Double = 0
                for c in 0 ..< k {
                    let term = Double(w[r * k + c]) * Double(x[n * k + c])
                    reference += term
                    magnitude += abs(term)
                }
                let bound = 4 * Double(k) * 0x1p-24 * (magnitude + (cancellation?[r] ?? 0)) + 1e-30
                #expect(abs(Double(y[n * rows + r]) - reference) <= bound, "\(label) n=\(n) r=\(r)")
            }
        }
    }

    @Test func gemvAndGemm_MatchFloat64Reference_ForEveryFormat() throws {
        var rng = SplitMix64(seed: 31)
        let rows = 19
        let k = 128
        let batch = 6
        let weights = Tensor(shape: [rows, k], values: TestSupport.valuesWithOutliers(rows * k, outlierEvery: 53, rng: &rng))
        let positive = Tensor(shape: [rows, k], values: weights.values.map { abs($0) })
        let x = TestSupport.randomValues(batch * k, rng: &rng)
        for (label, options) in Self.cases {
            // "uint" cases use non-negative weights so the unsigned type is chosen (QUANT_SPEC §0).
            let q = try Quantizer.quantize(label.hasPrefix("uint") ? positive : weights, options: options).quantized
            let matrix = PackedMatrix(q)
            #expect(q.format.description.hasPrefix(label.split(separator: "/")[0]) || q.format.description.hasPrefix("olive"), "\(label)")
            let dequantized = q.dequantize().asMatrix()
            for threads in [1, 2] {
                let y = matrix.gemv(Array(x[0 ..< k]), threads: threads)
                check(y, weights: dequantized, x: x, batch: 1, label: "gemv \(label) threads=\(threads)")
                let yy = matrix.gemm(Tensor(shape: [batch, k], values: x), threads: threads)
                check(yy.values, weights: dequantized, x: x, batch: batch, label: "gemm \(label) threads=\(threads)")
            }
        }
    }

    /// Uniform int4 and int8 on shapes that stress the AVX2 kernels' edges: an odd number of rows (the last row of
    /// a pair is computed alone), row lengths of 16·odd elements, one segment per row and several, 1–3 threads
    /// (odd chunk boundaries). Both the dispatched path and the forced portable path must meet the stated bound.
    @Test func int4AndInt8Gemv_BothKernelPaths_MatchFloat64Reference_OnOddShapes() throws {
        var rng = SplitMix64(seed: 34)
        let formats: [(String, QuantizationMethod, Int)] = [
            ("int4", .fixed(.int), 4), ("int4-asym", .fixed(.intAsymmetric), 4), ("uint4", .fixed(.int), 4),
            ("int8", .fixed(.int), 8), ("int8-asym", .fixed(.intAsymmetric), 8), ("uint8", .fixed(.int), 8),
        ]
        for (rows, k) in [(1, 16), (7, 48), (19, 144), (33, 272)] {
            let values = TestSupport.valuesWithOutliers(rows * k, outlierEvery: 37, rng: &rng)
            let weights = Tensor(shape: [rows, k], values: values)
            let positive = Tensor(shape: [rows, k], values: values.map { abs($0) })
            let x = TestSupport.randomValues(k, rng: &rng)
            let granularities: [Granularity] = [.perTensor, .perChannel, .perGroup(16)] + (k % 48 == 0 ? [.perGroup(48)] : [])
            for (label, method, bits) in formats {
                for granularity in granularities {
                    let options = QuantizationOptions(method: method, bits: bits, granularity: granularity)
                    let q = try Quantizer.quantize(label.hasPrefix("uint") ? positive : weights, options: options).quantized
                    let dequantized = q.dequantize().asMatrix()
                    let dispatched = PackedMatrix(q)
                    let portable = PackedMatrix(q, portableKernelsOnly: true)
                    #expect(dispatched.usesAVX2 == CPUFeatures.hasHaswellFeatures && !portable.usesAVX2)
                    if bits == 4 { #expect((dispatched.avx2Int4Offset != nil) == CPUFeatures.hasHaswellFeatures, "\(label)") }
                    let cancellation = offsetCancellation(q, x: x)
                    for threads in [1, 2, 3] {
                        for (path, matrix) in [("dispatched", dispatched), ("portable", portable)] {
                            check(matrix.gemv(x, threads: threads), weights: dequantized, x: x, batch: 1,
                                  label: "\(path) \(label) \(granularity) \(rows)×\(k) threads=\(threads)",
                                  cancellation: cancellation)
                        }
                    }
                }
            }
        }
    }

    /// Per row, 2·Σ_g s_g·c_g·Σ_{j∈g}|x_j| where c_g is the constant the integer kernels subtract in segment g
    /// (8 for signed 4-bit codes after the XOR, plus the zero-point for asymmetric codes). Their Float32 sum runs
    /// over terms u·x with |u| ≤ |q| + c, so its rounding error is bounded by K·ε·(Σ|ŵx| + s·c·Σ|x|), and the
    /// subtraction of c·S_g adds as much again.
    private func offsetCancellation(_ q: QuantizedTensor, x: [Float]) -> [Double] {
        guard case .element(let type) = q.format, case .int(let encoding) = type.kind else { return [] }
        let signedNibbles = type.bits == 4 && (encoding == .twosComplement || encoding == .symmetric)
        let segment = min(q.blockSize, q.columns)
        return (0 ..< q.rows).map { r in
            var total: Double = 0
            for start in stride(from: 0, to: q.columns, by: segment) {
                let block = (r * q.columns + start) / q.blockSize
                let c = (signedNibbles ? 8 : 0) + Double(q.zeroPoints.isEmpty ? 0 : abs(q.zeroPoints[block]))
                let absX = x[start ..< start + segment].reduce(0.0) { $0 + Double(abs($1)) }
                total += 2 * Double(abs(q.scales[block])) * c * absX
            }
            return total
        }
    }

    @Test func cpuFlags_AreReadFromTheFlagsLine() {
        let text = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu sse2 avx avx2 fma\nbogomips\t: 1\n"
        #expect(CPUFeatures.flags(cpuinfo: text) == ["fpu", "sse2", "avx", "avx2", "fma"])
        #expect(CPUFeatures.flags(cpuinfo: "no flags here").isEmpty)
        #expect(!CPUFeatures.haswellFlags.isSubset(of: CPUFeatures.flags(cpuinfo: text)))
    }

    @Test func fourBitFormats_UseLookupTableOrNibbleSIMDPath() throws {
        var rng = SplitMix64(seed: 32)
        let weights = Tensor(shape: [4, 64], values: TestSupport.randomValues(256, rng: &rng))
        for (label, options) in Self.cases {
            let q = try Quantizer.quantize(weights, options: options).quantized
            let matrix = PackedMatrix(q)
            let isUniformInt4 = label.hasPrefix("int4")
            #expect((matrix.int8Signedness != nil) == (label.hasPrefix("int8") || label.hasPrefix("uint8")), "\(label)")
            #expect(matrix.usesLookupTable == (q.format.bits == 4 && !isUniformInt4), "\(label)")
            #expect((matrix.int4NibbleOffset != nil) == isUniformInt4, "\(label)")
        }
    }

    @Test func emptyMatrices_GiveEmptyOrZeroOutputs() throws {
        let noColumns = try Quantizer.quantize(Tensor(zeros: [3, 0]), options: .init(method: .fixed(.int), bits: 4)).quantized
        #expect(PackedMatrix(noColumns).gemv([]) == [0, 0, 0])
        #expect(PackedMatrix(noColumns).gemm(Tensor(zeros: [2, 0])).values == [0, 0, 0, 0, 0, 0])
        let noRows = try Quantizer.quantize(Tensor(zeros: [0, 32]), options: .init(method: .fixed(.int), bits: 4)).quantized
        #expect(PackedMatrix(noRows).gemv([Float](repeating: 1, count: 32)).isEmpty)
    }

    @Test func int8Gemm_IsExact() {
        var rng = SplitMix64(seed: 33)
        let m = 5, n = 7, k = 300
        let a = (0 ..< m * k).map { _ in Int8.random(in: -128 ... 127, using: &rng) }
        let b = (0 ..< n * k).map { _ in Int8.random(in: -127 ... 127, using: &rng) }
        let c = Int8GEMM.multiply(a, b, m: m, n: n, k: k)
        for i in 0 ..< m {
            for j in 0 ..< n {
                var reference: Int64 = 0
                for t in 0 ..< k { reference += Int64(a[i * k + t]) * Int64(b[j * k + t]) }
                #expect(Int64(c[i * n + j]) == reference)
            }
        }
        #expect(Int8GEMM.multiply([-128], [-128], m: 1, n: 1, k: 1) == [16384])
    }

    @Test func bandwidthProbe_ReportsPositiveRates() {
        let result = BandwidthProbe(arrayBytes: 1 << 20, repetitions: 2).measure(threads: 2)
        #expect(result.copyGBps > 0 && result.copyGBps.isFinite)
        #expect(result.readGBps > 0 && result.readGBps.isFinite && result.bestGBps >= result.readGBps)
        #expect(result.triadGBps > 0 && result.triadGBps.isFinite)
    }
}
