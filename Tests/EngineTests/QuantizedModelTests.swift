import Engine
import JSON
import Testing

/// Quantized forward passes on the real models: exact fake quantization, activation scales, calibration capture and
/// end-task thresholds measured on these fixtures (with margin).
@Suite struct QuantizedModelTests {
    private static func config(_ text: String) throws -> QuantConfig { try QuantConfig(json: JSONParser.parse(text)) }

    private static let digitsDirectory = ModelFixtures.fixture("digits")
    private static let digitsCalibration = ModelFixtures.fixture("calibration/digits.safetensors")

    /// Top-1 accuracy on the held-out digits.
    private static func accuracy(_ model: CNNClassifier) throws -> Double {
        let (images, labels) = try model.imageSet(ModelFixtures.fixture("digits/test.safetensors"))
        let labelled = try #require(labels)
        return Double(zip(model.predictions(images), labelled).count { $0 == $1 }) / Double(labelled.count)
    }

    @Test func layerNames_FollowTheCheckpoints() throws {
        let cnn = try CNNClassifier(directory: Self.digitsDirectory)
        #expect(cnn.quantizableLayers.map(\.name) == ["stem", "block.conv1", "block.conv2", "head", "classifier"])
        let gpt2 = try GPT2Model(directory: ModelFixtures.fixture("kjv-gpt2"))
        #expect(gpt2.quantizableLayers.prefix(4).map(\.name) == ["h.0.attn.c_attn", "h.0.attn.c_proj", "h.0.mlp.c_fc", "h.0.mlp.c_proj"])
        #expect(gpt2.quantizableLayers.count == 16)
        #expect(gpt2.quantizableLayers[0].weight.shape == [384, 128])  // fused q | k | v
        let attention = gpt2.blocks[0].attention
        #expect(attention.key.weight == gpt2.quantizableLayers[0].weight.rows(128 ..< 256))
        #expect(attention.value.bias?.count == 128)
    }

    /// The layer holds exactly dequantize(quantize(W)) and the packed tensor it came from; the forward pass is the
    /// Float32 forward with that weight.
    @Test func fakeQuantizedLayer_EqualsDequantizeOfQuantize() throws {
        let original = try CNNClassifier(directory: Self.digitsDirectory)
        var model = original
        let reports = try ModelQuantization.apply(
            try Self.config(#"{"layers": {"head": {"weight": {"format": "flint", "bits": 4, "granularity": "group:48"}}}}"#),
            to: &model, calibration: nil)
        #expect(reports.map(\.name) == ["head"])
        let before = try #require(original.quantizableLayers.first { $0.name == "head" })
        let after = try #require(model.quantizableLayers.first { $0.name == "head" })
        let expected = try Quantizer.quantize(before.weight, options: QuantizationOptions(method: .fixed(.flint), bits: 4, granularity: .perGroup(48)))
        #expect(after.weight == expected.dequantized)
        #expect(after.quantization.weight == expected.quantized)
        #expect(after.weight != before.weight)
        // Other layers are untouched, and the model size counts the packed head.
        #expect(model.quantizableLayers.filter { $0.name != "head" }.map(\.weight) == original.quantizableLayers.filter { $0.name != "head" }.map(\.weight))
        #expect(original.modelBytes - model.modelBytes == 4 * before.weight.count - expected.quantized.storageBytes)
    }

    /// Static: one scale fitted on the calibration rows, so rows far outside their range are clipped. Dynamic: one
    /// absmax scale per row, so scaling a row scales its quantized values and each row's largest magnitude is exact.
    @Test func activationScales_StaticPerTensorVersusDynamicPerRow() throws {
        var rng = SplitMix64(seed: 44)
        let samples = Tensor(shape: [64, 32], values: TestSupport.randomValues(64 * 32, rng: &rng))
        let options = QuantizationOptions(method: .fixed(.int), bits: 8)
        let fixed = try ActivationQuantizer.calibrated(options, samples: samples)
        let scale = try #require(fixed.staticScale)
        let fitted = try Quantizer.quantize(samples, options: QuantizationOptions(method: .fixed(.int), bits: 8, granularity: .perTensor))
        #expect(scale == fitted.quantized.scales[0])
        #expect(try fixed(samples) == fitted.dequantized)

        var rows = TestSupport.randomValues(2 * 32, rng: &rng)
        for j in 32 ..< 64 { rows[j] = rows[j - 32] * 10 }  // row 1 = 10 × row 0
        let x = Tensor(shape: [2, 32], values: rows)
        let staticOut = try fixed(x)
        #expect(staticOut.values.allSatisfy { abs($0) <= 128 * scale * 1.0001 })
        #expect(staticOut.rows(1 ..< 2).values.map { abs($0) }.max()! < 10 * rows[0 ..< 32].map { abs($0) }.max()! * 0.5)

        let dynamic = try ActivationQuantizer.dynamic(options)
        #expect(dynamic.staticScale == nil)
        let dynamicOut = try dynamic(x)
        for r in 0 ..< 2 {
            let input = x.rows(r ..< r + 1).values, output = dynamicOut.rows(r ..< r + 1).values
            let largest = input.indices.max { abs(input[$0]) < abs(input[$1]) }!
            #expect(abs(output[largest] - input[largest]) <= 1e-6 * abs(input[largest]))
        }
        for j in 0 ..< 32 { #expect(abs(dynamicOut[1, j] - 10 * dynamicOut[0, j]) <= 1e-5 * (1 + abs(dynamicOut[1, j]))) }
    }

    @Test func calibrationRecorder_BoundsRowsAndTracksEveryRowsMaximum() throws {
        let recorder = CalibrationRecorder(rowLimit: 5, seed: 3)
        let first = Tensor(shape: [4, 2], values: [1, -2, 3, 0, 0, 0, 0, 0])
        let second = Tensor(shape: [4, 2], values: [0, 0, -7, 1, 0, 9, 0, 0])
        recorder.layerInput("a", first)
        recorder.layerInput("a", second)
        recorder.layerInput("b", Tensor(shape: [1, 3], values: [1, 2, 3]))
        let data = recorder.data
        #expect(data.layers.map(\.name) == ["a", "b"])
        let a = try #require(data.layer("a"))
        #expect(a.inputs.shape == [5, 2] && a.rowsSeen == 8)
        #expect(a.absMax == [7, 9])
        let all = first.values + second.values
        for r in 0 ..< 5 {
            let row = Array(a.inputs.rows(r ..< r + 1).values)
            #expect((0 ..< 8).contains { Array(all[$0 * 2 ..< $0 * 2 + 2]) == row })
        }
        // Same seed, same sample.
        let again = CalibrationRecorder(rowLimit: 5, seed: 3)
        again.layerInput("a", first)
        again.layerInput("a", second)
        #expect(again.data.layer("a")?.inputs == a.inputs)
    }

    @Test func calibrationPass_CapturesEveryLayerOfTheDigitsCNN() throws {
        let model = EvaluationModel.classifier(try CNNClassifier(directory: Self.digitsDirectory))
        let data = try model.calibrate(file: Self.digitsCalibration, rowLimit: 2048)
        #expect(data.layers.map(\.name) == ["stem", "block.conv1", "block.conv2", "head", "classifier"])
        // 128 images: 64 patches each at 8×8, 16 after the 2×2 pool, one row for the classifier.
        #expect(data.layers.map(\.rowsSeen) == [8192, 8192, 8192, 2048, 128])
        #expect(data.layers.map { $0.inputs.shape } == [[2048, 9], [2048, 144], [2048, 144], [2048, 144], [128, 32]])
    }

    /// Measured: Float32 357/360; W8A8 (int8 per-channel weights, int8 static per-tensor activations) 358/360.
    @Test func digitsW8A8_StaysWithinOnePointOfFloat32() throws {
        var network = EvaluationModel.classifier(try CNNClassifier(directory: Self.digitsDirectory))
        guard case .classifier(let float32) = network else { return }
        let config = try Self.config("""
            {"layers": {"*": {"weight": {"format": "int", "bits": 8, "granularity": "channel"},
                              "activation": {"format": "int", "bits": 8, "mode": "static"}}}}
            """)
        #expect(throws: QuantConfigError.needsCalibration(pattern: "*", reason: "quantizes activations statically")) {
            var copy = network
            try copy.quantize(config, calibration: nil)
        }
        try network.quantize(config, calibration: network.calibrate(file: Self.digitsCalibration))
        guard case .classifier(let quantized) = network else { return }
        let (reference, result) = (try Self.accuracy(float32), try Self.accuracy(quantized))
        print("digits: Float32 \(reference), W8A8 static \(result)")
        #expect(abs(result - reference) <= 0.01)
        #expect(quantized.quantizableLayers.allSatisfy { $0.quantization.activation?.staticScale != nil })
    }

    @Test func calibratedMethods_NeedCalibrationAndOliVeNeedsEvenRows() throws {
        var model = try CNNClassifier(directory: Self.digitsDirectory)
        #expect(throws: QuantConfigError.needsCalibration(pattern: "*", reason: "uses method awq")) {
            try ModelQuantization.apply(try Self.config(#"{"layers": {"*": {"weight": {"format": "int", "bits": 4}, "method": "awq"}}}"#),
                                        to: &model, calibration: nil)
        }
        // The stem's patches are 1·3·3 = 9 wide: OliVe pairs cannot split them, for weights or activations.
        #expect(throws: QuantConfigError.self) {
            try ModelQuantization.apply(try Self.config(#"{"layers": {"stem": {"weight": {"format": "olive", "bits": 4}}}}"#),
                                        to: &model, calibration: nil)
        }
        do {
            try ModelQuantization.apply(try Self.config(#"{"layers": {"stem": {"activation": {"format": "olive", "bits": 4}}}}"#),
                                        to: &model, calibration: nil)
            Issue.record("OliVe activations on a 9-wide layer were accepted")
        } catch {
            let message = String(describing: error)
            #expect(message.contains("stem") && message.contains("even"))
        }
    }

    /// GPTQ, AWQ and SmoothQuant through the config on real layers: each runs on the captured inputs and the model
    /// still classifies (stem Float32; measured 99.2 % GPTQ W4, 98.9 % AWQ W4, 99.2 % SmoothQuant W8A8 static).
    @Test func calibratedMethods_RunOnTheDigitsCNN() throws {
        let base = EvaluationModel.classifier(try CNNClassifier(directory: Self.digitsDirectory))
        let calibration = try base.calibrate(file: Self.digitsCalibration)
        for (method, activation) in [("gptq", ""), ("awq", ""), ("smoothquant", #", "activation": {"format": "int", "bits": 8, "mode": "static"}"#)] {
            let bits = method == "smoothquant" ? 8 : 4
            var network = base
            let reports = try network.quantize(try Self.config("""
                {"layers": {"*": {"weight": {"format": "int-asym", "bits": \(bits), "granularity": "channel"}, "method": "\(method)"\(activation)},
                            "stem": "float32"}}
                """), calibration: calibration)
            #expect(reports.count == 5 && reports.filter { $0.method.rawValue == method }.count == 4)
            guard case .classifier(let model) = network else { return }
            let result = try Self.accuracy(model)
            print("digits \(method) W\(bits): \(result)")
            #expect(result >= 0.96, "\(method)")
        }
    }

    /// Measured: W8 per-channel (int8, absmax scales) mean cosine 0.9995 to the Float32 numpy reference.
    @Test(.enabled(if: ModelFixtures.miniLMShouldRun))
    func miniLMW8PerChannel_KeepsMeanCosineAbove099() throws {
        var embedder = try SentenceEmbedder(directory: ModelFixtures.miniLMDirectory)
        let reference = try ModelFixtures.miniLMReference()
        try ModelQuantization.apply(
            try Self.config(#"{"layers": {"*": {"weight": {"format": "int", "bits": 8, "granularity": "channel", "clip": "max"}}}}"#),
            to: &embedder, calibration: nil)
        #expect(embedder.quantizableLayers.count == 36)
        let count = reference.sentences.count
        let cosines = (0 ..< count).map { i in
            ModelFixtures.cosine(embedder.embed(reference.sentences[i]), reference.embeddings.rows(i ..< i + 1).values)
        }
        let mean = cosines.reduce(0, +) / Double(count)
        print("MiniLM W8 per-channel: mean cosine \(mean), min \(cosines.min()!)")
        #expect(mean >= 0.99)
        #expect(cosines.min()! >= 0.98)
    }

    /// Weight-only int8 (absmax per channel) on the KJV GPT-2 over the first 512 held-out tokens
    /// stays within 2 % (measured 65.408 → 65.410).
    @Test func kjvGPT2W8_PerplexityStaysCloseOnAShortSlice() throws {
        let directory = ModelFixtures.fixture("kjv-gpt2")
        var model = try GPT2Model(directory: directory)
        let tokenizer = try ByteLevelBPETokenizer(vocabularyPath: directory + "/vocab.json", mergesPath: directory + "/merges.txt")
        let tokens = Array(tokenizer.encode(try ModelFiles.readText(ModelFixtures.fixture("kjv/heldout.txt"))).prefix(512))
        let float32 = Perplexity.slidingWindow(tokens: tokens, context: 128, stride: 64, logits: model.logits).perplexity
        try ModelQuantization.apply(
            try Self.config(#"{"layers": {"*": {"weight": {"format": "int", "bits": 8, "granularity": "channel", "clip": "max"}}}}"#),
            to: &model, calibration: nil)
        let quantized = Perplexity.slidingWindow(tokens: tokens, context: 128, stride: 64, logits: model.logits).perplexity
        print("KJV GPT-2, 512 held-out tokens: Float32 \(float32), W8 \(quantized)")
        #expect(quantized != float32)
        #expect(abs(quantized / float32 - 1) < 0.02)
    }
}
