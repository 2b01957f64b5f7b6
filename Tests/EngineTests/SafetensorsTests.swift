import Engine
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct SafetensorsTests {
    @Test func writeThenRead_RoundTripsEveryDType() throws {
        var writer = SafetensorsWriter()
        writer.metadata = ["purpose": "test"]
        writer.add(name: "f32", tensor: Tensor(shape: [2, 2], values: [1, -2.5, 3, 1e-3]))
        let halves: [Float16] = [1.5, -2, 0.25]
        writer.add(name: "f16", dtype: .float16, shape: [3], bytes: halves.withUnsafeBytes { Array($0) })
        let bf16: [UInt16] = [0x3FC0, 0xC000] // 1.5, −2
        writer.add(name: "bf16", dtype: .bfloat16, shape: [2], bytes: bf16.withUnsafeBytes { Array($0) })
        writer.add(name: "i8", dtype: .int8, shape: [2], bytes: [0xFF, 0x7F])
        writer.add(name: "u8", dtype: .uint8, shape: [2], bytes: [0xFF, 0x01])
        writer.add(name: "i32", int32s: [-7, 70_000], shape: [2])
        let longs: [Int64] = [-3, 1 << 20]
        writer.add(name: "i64", dtype: .int64, shape: [1, 2], bytes: longs.withUnsafeBytes { Array($0) })
        let path = TestSupport.temporaryPath("roundtrip")
        defer { unlink(path) }
        try writer.write(to: path)

        let file = try SafetensorsFile(path: path)
        #expect(file.metadata == ["purpose": "test"])
        #expect(file.entries.map(\.name) == ["f32", "f16", "bf16", "i8", "u8", "i32", "i64"])
        #expect(try file.tensor(named: "f32") == Tensor(shape: [2, 2], values: [1, -2.5, 3, 1e-3]))
        #expect(try file.tensor(named: "f16").values == [1.5, -2, 0.25])
        #expect(try file.tensor(named: "bf16").values == [1.5, -2])
        #expect(try file.tensor(named: "i8").values == [-1, 127])
        #expect(try file.tensor(named: "u8").values == [255, 1])
        #expect(try file.tensor(named: "i32").values == [-7, 70_000])
        #expect(try file.tensor(named: "i64").shape == [1, 2])
        #expect(try file.tensor(named: "i64").values == [-3, 1_048_576] as [Float])
        #expect(throws: SafetensorsError.missingTensor("nope")) { try file.tensor(named: "nope") }
    }

    @Test func headerIsPaddedToEightBytes() {
        var writer = SafetensorsWriter()
        writer.add(name: "x", floats: [1], shape: [1])
        let image = writer.serialized()
        let headerLength = image[0 ..< 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        #expect(image.count == 8 + headerLength + 4)
    }

    /// Writes `image` and expects opening it to throw an error matching `matches`.
    private func expectOpenFails(_ image: [UInt8], _ tag: String, _ matches: (SafetensorsError) -> Bool) {
        let path = TestSupport.temporaryPath(tag)
        defer { unlink(path) }
        TestSupport.writeFile(path, image)
        do {
            _ = try SafetensorsFile(path: path)
            Issue.record("expected \(tag) to fail")
        } catch {
            #expect(matches(error), "unexpected error \(error)")
        }
    }

    @Test func open_Throws_OnTruncatedFiles() {
        expectOpenFails([1, 2, 3], "tiny") { if case .truncated = $0 { true } else { false } }
        let header = #"{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        expectOpenFails(TestSupport.safetensorsImage(header: header, data: [UInt8](repeating: 0, count: 8)), "short-data") {
            if case .truncated = $0 { true } else { false }
        }
        var lying = TestSupport.safetensorsImage(header: "{}", data: [])
        lying[0] = 200 // header length beyond the end of the file
        expectOpenFails(lying, "short-header") { if case .truncated = $0 { true } else { false } }
    }

    @Test func open_Throws_OnOverlappingTensors() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectOpenFails(TestSupport.safetensorsImage(header: header, data: [UInt8](repeating: 0, count: 12)), "overlap") {
            if case .overlappingTensors = $0 { true } else { false }
        }
    }

    @Test func open_Throws_WhenHeaderLiesAboutSizes() {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        expectOpenFails(TestSupport.safetensorsImage(header: header, data: [UInt8](repeating: 0, count: 8)), "lie") {
            if case .invalidOffsets = $0 { true } else { false }
        }
        let reversed = #"{"a":{"dtype":"U8","shape":[0],"data_offsets":[8,4]}}"#
        expectOpenFails(TestSupport.safetensorsImage(header: reversed, data: [UInt8](repeating: 0, count: 8)), "reversed") {
            if case .invalidOffsets = $0 { true } else { false }
        }
    }

    @Test func open_Throws_OnAbsurdShapesAndBadHeaders() {
        let huge = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,8]}}"#
        expectOpenFails(TestSupport.safetensorsImage(header: huge, data: [UInt8](repeating: 0, count: 8)), "huge") {
            if case .invalidShape = $0 { true } else { false }
        }
        let negative = #"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#
        expectOpenFails(TestSupport.safetensorsImage(header: negative, data: [UInt8](repeating: 0, count: 8)), "negative") {
            if case .invalidShape = $0 { true } else { false }
        }
        let dtype = #"{"a":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}"#
        expectOpenFails(TestSupport.safetensorsImage(header: dtype, data: [0, 0]), "dtype") {
            if case .unsupportedDType = $0 { true } else { false }
        }
        expectOpenFails(TestSupport.safetensorsImage(header: "[1,2]", data: []), "array") {
            if case .malformedHeader = $0 { true } else { false }
        }
        expectOpenFails(TestSupport.safetensorsImage(header: "{\"a\":", data: []), "json") {
            if case .malformedHeader = $0 { true } else { false }
        }
        var absurd = TestSupport.safetensorsImage(header: "{}", data: [])
        absurd[7] = 0x7F // header length ≈ 9e18
        expectOpenFails(absurd, "absurd-length") { if case .malformedHeader = $0 { true } else { false } }
    }

    @Test func open_Throws_OnMissingFile() {
        #expect(throws: SafetensorsError.self) { try SafetensorsFile(path: "/nonexistent/mixbit/x.safetensors") }
    }
}
