import Engine
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct QuantizedTensorTests {
    @Test func container_RoundTripsExactly_ThroughSafetensors() throws {
        var rng = SplitMix64(seed: 21)
        let weight = Tensor(shape: [6, 2, 64], values: TestSupport.valuesWithOutliers(768, outlierEvery: 41, rng: &rng))
        let methods: [(String, QuantizationOptions)] = [
            ("w_int3", .init(method: .fixed(.int), bits: 3, granularity: .perGroup(32))),
            ("w_asym", .init(method: .fixed(.intAsymmetric), bits: 5, granularity: .perChannel)),
            ("w_ant", .init(method: .ant(.fipf), bits: 4, granularity: .perChannel)),
            ("w_flint6", .init(method: .fixed(.flint), bits: 6, granularity: .perTensor)),
            ("w_olive", .init(method: .olive(abfloat8: .e2m5, pairRule: .keepLeft), bits: 4, granularity: .perGroup(64))),
            ("w_olive8", .init(method: .olive(abfloat8: .e4m3, pairRule: .keepLarger), bits: 8, granularity: .perChannel)),
            ("w_pot2", .init(method: .fixed(.pot), bits: 2, granularity: .perChannel)),
        ]
        var writer = SafetensorsWriter()
        var results: [String: QuantizationResult] = [:]
        for (name, options) in methods {
            let r = try Quantizer.quantize(weight, options: options)
            results[name] = r
            writer.add(name: name, quantized: r.quantized)
        }
        writer.add(name: "bias", floats: [1, 2], shape: [2])
        let path = TestSupport.temporaryPath("quantized")
        defer { unlink(path) }
        try writer.write(to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.quantizedTensorNames == methods.map(\.0).sorted())
        for (name, _) in methods {
            let back = try file.quantizedTensor(named: name)
            #expect(back == results[name]!.quantized, "\(name)")
            #expect(back.dequantize() == results[name]!.dequantized)
            #expect(back.shape == [6, 2, 64])
        }
        #expect(try file.tensor(named: "bias").values == [1, 2])
    }

    @Test func reading_Throws_OnCorruptDescriptors() throws {
        let q = try Quantizer.quantize(Tensor(shape: [2, 32], values: (0 ..< 64).map { Float($0) / 64 }),
                                       options: .init(method: .fixed(.int), bits: 4)).quantized
        let corruptions = [
            "{not json",
            #"{"version":1,"format":"int4","bits":4,"shape":[4,32],"granularity":"channel"}"#,
            #"{"version":1,"format":"int9","bits":9,"shape":[2,32],"granularity":"channel"}"#,
            #"{"version":1,"format":"int4","bits":8,"shape":[2,32],"granularity":"channel"}"#,
            #"{"version":2,"format":"int4","bits":4,"shape":[2,32],"granularity":"channel"}"#,
            #"{"version":1,"format":"olive-int4","bits":4,"shape":[2,32],"granularity":"channel","pair_rule":"both"}"#,
        ]
        for (i, descriptor) in corruptions.enumerated() {
            var writer = SafetensorsWriter()
            writer.add(name: "w", quantized: q)
            writer.metadata[QuantizedTensor.metadataPrefix + "w"] = descriptor
            let path = TestSupport.temporaryPath("corrupt\(i)")
            defer { unlink(path) }
            try writer.write(to: path)
            let file = try SafetensorsFile(path: path)
            #expect(throws: SafetensorsError.self, "\(descriptor)") { try file.quantizedTensor(named: "w") }
        }
    }

    @Test func init_Throws_WhenBuffersDisagreeWithShape() throws {
        let int4 = QuantFormat.element(try ElementType(name: "int4"))
        #expect(throws: FormatError.self) {
            try QuantizedTensor(shape: [2, 8], format: int4, granularity: .perChannel, codes: [UInt8](repeating: 0, count: 7), scales: [1, 1])
        }
        #expect(throws: FormatError.self) {
            try QuantizedTensor(shape: [2, 8], format: int4, granularity: .perChannel, codes: [UInt8](repeating: 0, count: 8), scales: [1])
        }
        let ok = try QuantizedTensor(shape: [2, 8], format: int4, granularity: .perChannel, codes: [UInt8](repeating: 0x21, count: 8), scales: [1, 0.5])
        #expect(ok.dequantize().values == [1, 2, 1, 2, 1, 2, 1, 2, 0.5, 1, 0.5, 1, 0.5, 1, 0.5, 1])
    }

    @Test func dequantize_DecodesEveryElementFormat() throws {
        var rng = SplitMix64(seed: 22)
        for name in ["int2", "int3", "uint5", "int6-sym", "int8", "pot4", "upot3", "flint5", "uflint4", "e2m1", "ue4m4", "e5m2"] {
            let type = try ElementType(name: name)
            let columns = 24
            let codes = (0 ..< 3 * columns).map { _ in UInt8.random(in: 0 ... UInt8((1 << type.bits) - 1), using: &rng) }
            let packed = (0 ..< 3).flatMap { r in BitPacking.pack(Array(codes[r * columns ..< (r + 1) * columns]), bits: type.bits) }
            let scales: [Float] = [0.5, 2, 0.25, 1, 3, 0.125]
            let q = try QuantizedTensor(shape: [3, columns], format: .element(type), granularity: .perGroup(12), codes: packed, scales: scales)
            let table = type.decodeTable()
            let expected = codes.enumerated().map { table[Int($0.element)] * scales[$0.offset / 12] }
            #expect(q.dequantize().values == expected, "\(name)")
        }
    }
}
