import ArgumentParser
import Engine

/// `mixbit embed`: sentence embeddings from a sentence-transformers BERT model folder, one input line per output line.
struct EmbedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "embed",
        abstract: "Print the L2-normalised sentence embedding of every line of standard input as a JSON array.",
        discussion: """
        The model folder holds config.json, model.safetensors and vocab.txt (for example models/all-MiniLM-L6-v2 \
        from `make models`). Embeddings are mean-pooled over the tokens and normalised to unit length.
        """
    )

    @Option(help: "Model folder (config.json, model.safetensors, vocab.txt).")
    var model: String

    func run() throws {
        let embedder = try SentenceEmbedder(directory: model)
        while let line = readLine(strippingNewline: true) {
            let vector = embedder.embed(line)
            print("[" + vector.map { "\($0)" }.joined(separator: ",") + "]")
        }
    }
}
