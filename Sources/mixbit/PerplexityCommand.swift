import ArgumentParser
import Engine

/// `mixbit perplexity`: sliding-window perplexity of a GPT-2 model folder on a text file.
struct PerplexityCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perplexity",
        abstract: "Held-out perplexity of a GPT-2 model (config.json, model.safetensors, vocab.json, merges.txt).",
        discussion: """
        The whole file is tokenized as one stream. Windows of --context tokens start every --stride tokens; each \
        scores only the tokens earlier windows did not, so every token after the first is scored once.
        """
    )

    @Option(help: "Model folder.")
    var model: String

    @Option(help: "UTF-8 text file to evaluate.")
    var text: String

    @Option(help: "Window length in tokens (default: the model's n_positions).")
    var context: Int?

    @Option(help: "Window step in tokens (default: half the context).")
    var stride: Int?

    func run() throws {
        let network = try GPT2Model(directory: model)
        let tokenizer = try ByteLevelBPETokenizer(vocabularyPath: model + "/vocab.json", mergesPath: model + "/merges.txt")
        let (window, step) = try Self.windows(context: context, stride: stride, positions: network.configuration.maximumPositions)
        let tokens = tokenizer.encode(try ModelFiles.readText(text))
        guard tokens.count >= 2 else { throw ValidationError("\(text): fewer than two tokens") }
        let result = Perplexity.slidingWindow(tokens: tokens, context: window, stride: step, logits: network.logits)
        print("{\"perplexity\":\(result.perplexity),\"scored_tokens\":\(result.scoredTokens),\"context\":\(window),\"stride\":\(step)}")
    }

    /// The window length (default: the model's context) and step (default: half the window), checked.
    static func windows(context: Int?, stride: Int?, positions: Int) throws -> (window: Int, step: Int) {
        let window = context ?? positions
        let step = stride ?? window / 2
        guard window >= 2, window <= positions else { throw ValidationError("--context must be 2…\(positions)") }
        guard step >= 1, step < window else { throw ValidationError("--stride must be 1…\(window - 1)") }
        return (window, step)
    }
}
