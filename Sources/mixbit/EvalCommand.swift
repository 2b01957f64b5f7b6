import ArgumentParser
import Engine
import JSON

/// `mixbit eval`: a task metric of a (possibly quantized) model folder, as JSON with each metric's definition.
struct EvalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Evaluate a model folder, optionally quantized by a quant config; prints JSON metrics.",
        discussion: """
        The model type comes from the folder: architecture.json (CNN image classifier), or config.json with \
        model_type bert (sentence embedder) or gpt2 (language model). Tasks: accuracy (CNN; --data defaults to \
        MODEL/test.safetensors), embedding-fidelity (BERT; --data is a sentence file, one per line), perplexity \
        (GPT-2; --data is a text file). --calibration is needed by configs with static activations or with \
        gptq / awq / smoothquant: a safetensors file of images, a sentence file, or text chunks separated by blank \
        lines. The quant config schema is in docs/quant-config.md.
        """
    )

    enum Task: String, ExpressibleByArgument, CaseIterable {
        case accuracy
        case embeddingFidelity = "embedding-fidelity"
        case perplexity
    }

    @Option(help: "Model folder.")
    var model: String

    @Option(help: "Quant config JSON (docs/quant-config.md); omitted: Float32.")
    var quant: String?

    @Option(help: "accuracy | embedding-fidelity | perplexity.")
    var task: Task

    @Option(help: "Evaluation data (see above).")
    var data: String?

    @Option(help: "Calibration data for static activation scales and gptq / awq / smoothquant.")
    var calibration: String?

    @Option(help: "Perplexity window in tokens (default: the model's n_positions).")
    var context: Int?

    @Option(help: "Perplexity window step (default: half the context).")
    var stride: Int?

    @Option(help: "Perplexity: evaluate only the first N tokens of the data.")
    var maxTokens: Int?

    @Flag(help: "Also time OpenBLAS sgemm on the evaluation's dominant GEMM shape and on 1024³, and report the fraction of sgemm's peak.")
    var measureGemm = false

    @Flag(help: "Include one entry per quantized layer.")
    var layers = false

    func run() throws {
        let clock = ContinuousClock()
        let started = clock.now
        var network = try EvaluationModel.load(directory: model)
        let expected: [Task: String] = [.accuracy: "cnn", .embeddingFidelity: "bert", .perplexity: "gpt2"]
        guard expected[task] == network.kind else {
            throw ValidationError("--task \(task.rawValue) needs a \(expected[task]!) model; \(model) is \(network.kind)")
        }
        let float32Bytes = network.quantizableModel.modelBytes
        let config = try quant.map { path throws(QuantConfigError) in try QuantConfig(path: path) }

        // The Float32 reference embeddings come from the model before it is quantized.
        var sentences: [String] = []
        var reference: [[Float]] = []
        if case .embedder(let embedder) = network {
            guard let data else { throw ValidationError("--task embedding-fidelity needs --data SENTENCES.txt") }
            sentences = ModelFiles.lines(try ModelFiles.readText(data)).filter { !$0.isEmpty }.map(String.init)
            guard sentences.count >= 2 else { throw ValidationError("\(data): needs at least two sentences") }
            reference = sentences.map(embedder.embed)
        }

        var reports: [ModelQuantization.LayerReport] = []
        if let config {
            var captured: CalibrationData?
            if config.needsCalibration, let calibration { captured = try network.calibrate(file: calibration) }
            // Without calibration data, ModelQuantization names the first entry that needed it.
            reports = try network.quantize(config, calibration: captured)
        }

        let counter = GEMMCounter()
        let evaluationStart = clock.now
        let outcome = try ForwardObservation.$current.withValue(counter) { try evaluate(network, sentences: sentences, reference: reference) }
        let evaluationSeconds = SGEMMProbe.seconds(evaluationStart.duration(to: clock.now))

        var gemm: [(String, JSONValue)] = [
            ("gflop", .double(counter.operations / 1e9)),
            ("achieved_gflops", .double(counter.operations / 1e9 / evaluationSeconds)),
        ]
        if measureGemm, let shape = counter.dominantShape {
            let same = SGEMMProbe.gigaflops(m: shape.m, n: shape.n, k: shape.k)
            let peak = SGEMMProbe.gigaflops(m: 1024, n: 1024, k: 1024)
            gemm += [
                ("dominant_shape_mnk", .array([shape.m, shape.n, shape.k].map { .int(Int64($0)) })),
                ("sgemm_dominant_shape_gflops", .double(same)),
                ("sgemm_peak_shape_mnk", .array([1024, 1024, 1024].map { .int($0) })),
                ("sgemm_peak_gflops", .double(peak)),
                ("fraction_of_sgemm_peak", .double(counter.operations / 1e9 / evaluationSeconds / peak)),
            ]
        }
        var document: [(String, JSONValue)] = [
            ("model", .string(model)),
            ("model_type", .string(network.kind)),
            ("task", .string(task.rawValue)),
            ("quant", quant.map { .string($0) } ?? .null),
            ("metrics", .object(JSONObject(outcome.metrics))),
            ("model_bytes", .int(Int64(network.quantizableModel.modelBytes))),
            ("float32_model_bytes", .int(Int64(float32Bytes))),
            ("model_bytes_definition", .string("matrix-layer weights as stored (packed codes + Float32 scales and zero-points, + input divisors) plus every other parameter in Float32")),
            ("evaluation_seconds", .double(evaluationSeconds)),
            ("wall_seconds", .double(SGEMMProbe.seconds(started.duration(to: clock.now)))),
            ("throughput", .object([("value", .double(outcome.items / evaluationSeconds)), ("unit", .string(outcome.unit))])),
            ("gemm", .object(JSONObject(gemm))),
        ]
        if layers {
            document.append(("layers", .array(reports.map { report in
                .object([("name", .string(report.name)), ("pattern", .string(report.pattern)), ("method", .string(report.method.rawValue)),
                         ("weight", .string(report.weight)), ("activation", .string(report.activation)),
                         ("weight_bytes", .int(Int64(report.weightBytes))), ("float32_bytes", .int(Int64(report.float32Bytes)))])
            })))
        }
        print(JSONValue.object(JSONObject(document)).encodedString())
    }

    /// The task's metrics, and the number of items (images, tokens) the forward passes processed.
    private func evaluate(_ network: EvaluationModel, sentences: [String], reference: [[Float]]) throws
        -> (metrics: [(String, JSONValue)], items: Double, unit: String) {
        func metric(_ value: Double, _ definition: String) -> JSONValue {
            .object([("value", .double(value)), ("definition", .string(definition))])
        }
        switch network {
        case .classifier(let classifier):
            let file = data ?? model + "/test.safetensors"
            let (images, labels) = try classifier.imageSet(file)
            guard let labels else { throw ValidationError("\(file): no labels tensor to score accuracy against") }
            let correct = zip(classifier.predictions(images), labels).count { $0 == $1 }
            return ([("accuracy", metric(Double(correct) / Double(labels.count),
                                         "top-1 accuracy over the \(labels.count) labelled images of \(file)")),
                     ("correct", .int(Int64(correct)))],
                    Double(labels.count), "images/s")
        case .embedder(let embedder):
            let candidate = sentences.map(embedder.embed)
            let fidelity = EmbeddingFidelity(reference: reference, candidate: candidate)
            let tokens = sentences.reduce(0) { $0 + embedder.tokenIDs($1).count }
            return ([("mean_cosine", metric(fidelity.meanCosine, "mean over the \(sentences.count) sentences of cos(Float32 embedding, this model's embedding)")),
                     ("minimum_cosine", metric(fidelity.minimumCosine, "lowest of those cosines")),
                     ("nearest_neighbour_agreement", metric(fidelity.nearestNeighbourAgreement,
                        "fraction of sentences whose nearest other sentence by cosine is the same under the Float32 model and this model"))],
                    Double(tokens), "tokens/s")
        case .languageModel(let lm, let tokenizer):
            guard let data else { throw ValidationError("--task perplexity needs --data TEXT") }
            let (window, step) = try PerplexityCommand.windows(context: context, stride: stride,
                                                               positions: lm.configuration.maximumPositions)
            var tokens = tokenizer.encode(try ModelFiles.readText(data))
            if let maxTokens {
                guard maxTokens >= 2 else { throw ValidationError("--max-tokens must be at least 2") }
                tokens = Array(tokens.prefix(maxTokens))
            }
            guard tokens.count >= 2 else { throw ValidationError("\(data): fewer than two tokens") }
            var forwardTokens = 0
            let result = Perplexity.slidingWindow(tokens: tokens, context: window, stride: step) { ids in
                forwardTokens += ids.count
                return lm.logits(ids)
            }
            return ([("perplexity", metric(result.perplexity,
                        "exp(mean negative log-likelihood) of every token after the first of \(data) (\(tokens.count) tokens), "
                            + "sliding windows of \(window) tokens every \(step) tokens, each scoring only tokens no earlier window scored")),
                     ("scored_tokens", .int(Int64(result.scoredTokens))), ("context", .int(Int64(window))), ("stride", .int(Int64(step)))],
                    Double(forwardTokens), "tokens/s")
        }
    }
}
