import ArgumentParser
import Engine

/// `mixbit embed`: sentence embeddings from a sentence-transformers BERT model folder, one input line per output line.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the L2-normalised sentence embedding of every line of standard input as a JSON array.",
        discussion: """
        The model folder holds config.json, model.safetensors and vocab.txt (for example models/all-MiniLM-L6-v2 \
        from `make models`). Embeddings are mean-pooled over the tokens and normalised to unit length. With --quant \
        the encoder's layers are quantized first (docs/quant-config.md); configs with static activations or \
        gptq / awq / smoothquant need --calibration SENTENCES.txt.
        """
    )

    @Option(help: "Model folder (config.json, model.safetensors, vocab.txt).")
    var model: String

    @Option(help: "Quant config JSON (docs/quant-config.md); omitted: Float32.")
    var quant: String?

    @Option(help: "Calibration sentences, one per line (for static activations and gptq / awq / smoothquant).")
    var calibration: String?

    func run() throws {
        var network = EvaluationModel.embedder(try SentenceEmbedder(directory: model))
        if let quant {
            let config = try QuantConfig(path: quant)
            let captured = config.needsCalibration ? try calibration.map { file throws(ModelError) in try network.calibrate(file: file) } : nil
            try network.quantize(config, calibration: captured)
        }
        guard case .embedder(let embedder) = network else { return }
        while let line = readLine(strippingNewline: true) {
            let vector = embedder.embed(line)
            print("[" + vector.map { "\($0)" }.joined(separator: ",") + "]")
        }
    }
}
