import Engine
import Foundation
import JSON
import Testing

/// `mixbit quantize` end to end: the real binary (built beside the test bundle) on a real safetensors file.
@Suite struct QuantizeCommandTests {
    private static var mixbitPath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("mixbit").path
    }

    /// Runs `mixbit quantize ARGS`; returns the exit status and what it printed on stdout and stderr.
    private func quantize(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.mixbitPath)
        process.arguments = ["quantize"] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    private func writeModel() throws -> String {
        var rng = SplitMix64(seed: 11)
        var writer = SafetensorsWriter()
        let weights = (0..<(16 * 64)).map { _ in Float.random(in: -1...1, using: &rng) }
        writer.add(name: "layer.weight", floats: weights, shape: [16, 64])
        writer.add(name: "layer.bias", floats: Array(repeating: 0.5, count: 16), shape: [16])
        let path = TestSupport.temporaryPath("cli-in")
        try writer.write(to: path)
        return path
    }

    @Test func quantizesMatrices_WritesReportAndFakeQuantizedCopy() throws {
        let input = try writeModel()
        let output = TestSupport.temporaryPath("cli-out")
        let fake = TestSupport.temporaryPath("cli-fake")
        let report = TestSupport.temporaryPath("cli-report") + ".json"
        defer { for path in [input, output, fake, report] { try? FileManager.default.removeItem(atPath: path) } }

        let run = try quantize([input, output, "--format", "int", "--bits", "4", "--granularity", "channel",
                                "--dequantized", fake, "--report", report])
        #expect(run.status == 0, "\(run.output)")

        let document = try JSONParser.parse(try String(contentsOfFile: report, encoding: .utf8))
        let tensors = try #require(document["tensors"]?.arrayValue)
        // Only the two-dimensional weight is quantized; the bias is left alone.
        #expect(tensors.count == 1)
        #expect(tensors.first?["name"] == "layer.weight")
        #expect(tensors.first?["scales"]?.arrayValue?.count == 16)
        // Uniform 4-bit on uniform data: about 6 dB per bit, far above 15 dB.
        #expect((tensors.first?["sqnr_db"]?.doubleValue ?? 0) > 15)
        #expect(document["bytes_after"]?.int64Value ?? .max < document["bytes_before"]?.int64Value ?? 0)

        let quantized = try SafetensorsFile(path: output)
        #expect(quantized.metadata.keys.contains(QuantizedTensor.metadataPrefix + "layer.weight"))
        let original = try SafetensorsFile(path: input).tensor(named: "layer.weight")
        let dequantized = try SafetensorsFile(path: fake).tensor(named: "layer.weight")
        #expect(dequantized.shape == original.shape)
        #expect(dequantized != original)
        // The fake-quantized copy is exactly what the report measured.
        let squaredErrors = zip(dequantized.values, original.values).map { Double($0 - $1) * Double($0 - $1) }
        let mse = squaredErrors.reduce(0, +) / Double(squaredErrors.count)
        let reported = try #require(tensors.first?["mse"]?.doubleValue)
        #expect(abs(mse - reported) <= 1e-6 * max(reported, 1e-12) + 1e-12)
        // A 16-level grid over about [-1, 1], with the clip search free to trade the extremes for the bulk.
        #expect(squaredErrors.max() ?? .infinity < 0.25 * 0.25)
    }

    @Test func badArguments_FailWithAClearMessage() throws {
        let input = try writeModel()
        defer { unlink(input) }
        let unknownFormat = try quantize([input, "/tmp/never-written.safetensors", "--format", "int9", "--bits", "4"])
        #expect(unknownFormat.status != 0)
        #expect(unknownFormat.output.contains("int9"))
        let badBits = try quantize([input, "/tmp/never-written.safetensors", "--format", "int", "--bits", "7"])
        #expect(badBits.status != 0)
        let missing = try quantize(["/tmp/no-such-file.safetensors", "/tmp/never-written.safetensors", "--format", "int", "--bits", "4"])
        #expect(missing.status != 0)
        #expect(missing.output.contains("no-such-file"))
    }
}
