import Engine
import Foundation
import JSON
import Testing

/// `mixbit eval` end to end: the real binary on the digits fixture.
@Suite struct EvalCommandTests {
    private static var mixbitPath: String {
        URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
            .appendingPathComponent("mixbit").path
    }

    /// Runs `mixbit eval ARGS`; returns the exit status, stdout and stderr.
    private func eval(_ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.mixbitPath)
        process.arguments = ["eval"] + arguments
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self), String(decoding: errors, as: UTF8.self))
    }

    private func writeConfig(_ text: String) throws -> String {
        let path = TestSupport.temporaryPath("quant-config") + ".json"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func digits_Float32AndQuantized() throws {
        let digits = ModelFixtures.fixture("digits")
        let plain = try eval(["--model", digits, "--task", "accuracy"])
        #expect(plain.status == 0, "\(plain.errors)")
        let float32 = try JSONParser.parse(plain.output)
        #expect(float32["metrics"]?["accuracy"]?["value"]?.doubleValue == 357.0 / 360)
        #expect(float32["metrics"]?["accuracy"]?["definition"]?.stringValue?.contains("top-1") == true)
        #expect(float32["model_bytes"] == float32["float32_model_bytes"])
        #expect(float32["throughput"]?["unit"] == "images/s")
        #expect((float32["gemm"]?["gflop"]?.doubleValue ?? 0) > 0)

        let config = try writeConfig("""
            {"layers": {"*": {"weight": {"format": "int", "bits": 4, "granularity": "channel"},
                              "activation": {"format": "int", "bits": 8, "mode": "static"}},
                        "classifier": "float32"}}
            """)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let run = try eval(["--model", digits, "--task", "accuracy", "--quant", config, "--layers",
                            "--calibration", ModelFixtures.fixture("calibration/digits.safetensors")])
        #expect(run.status == 0, "\(run.errors)")
        let quantized = try JSONParser.parse(run.output)
        let accuracy = try #require(quantized["metrics"]?["accuracy"]?["value"]?.doubleValue)
        print("mixbit eval digits W4A8 (classifier Float32): \(accuracy)")
        #expect(accuracy >= 0.95 && accuracy <= 1)
        let bytes = try #require(quantized["model_bytes"]?.int64Value), full = try #require(quantized["float32_model_bytes"]?.int64Value)
        #expect(bytes < full / 3)
        let layers = try #require(quantized["layers"]?.arrayValue)
        #expect(layers.count == 5)
        #expect(layers.last?["weight"] == "float32" && layers.first?["activation"]?.stringValue?.contains("static") == true)
    }

    @Test func badInvocations_FailWithAClearMessage() throws {
        let digits = ModelFixtures.fixture("digits")
        let unmatched = try writeConfig(#"{"layers": {"encoder.*": {"weight": {"format": "int", "bits": 8}}}}"#)
        let badFormat = try writeConfig(#"{"layers": {"*": {"weight": {"format": "int", "bits": 7}}}}"#)
        let needsData = try writeConfig(#"{"layers": {"*": {"weight": {"format": "int", "bits": 4}, "method": "gptq"}}}"#)
        defer { for path in [unmatched, badFormat, needsData] { try? FileManager.default.removeItem(atPath: path) } }

        let cases: [([String], String)] = [
            (["--model", digits, "--task", "accuracy", "--quant", unmatched], "pattern \"encoder.*\" matches no layer"),
            (["--model", digits, "--task", "accuracy", "--quant", badFormat], "does not support 7 bits"),
            (["--model", digits, "--task", "accuracy", "--quant", needsData], "needs calibration data"),
            (["--model", digits, "--task", "perplexity"], "needs a gpt2 model"),
            (["--model", digits, "--task", "accuracy", "--quant", "/nonexistent.json"], "/nonexistent.json"),
            (["--model", "/nonexistent", "--task", "accuracy"], "neither architecture.json"),
            (["--model", digits, "--task", "speed"], "speed"),
        ]
        for (arguments, expected) in cases {
            let run = try eval(arguments)
            #expect(run.status != 0, "\(arguments)")
            #expect(run.errors.contains(expected), "\(arguments): \(run.errors)")
        }
    }
}
