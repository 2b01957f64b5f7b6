import JSON
import Engine
import Testing

@Suite struct GPT2ModelTests {
    static let directory = ModelFixtures.fixture("kjv-gpt2")

    /// perplexity.json, written by scripts/fixtures/train_kjv_gpt2.py from its own (JAX) forward.
    struct Reference {
        var context: Int
        var stride: Int
        var prefixTokens: Int
        var prefixPerplexity: Double
        var unigramPerplexity: Double
    }

    static func reference() throws -> Reference {
        let json = try ModelFiles.readJSON(directory + "/perplexity.json")
        func number(_ key: String) throws -> Double {
            switch json[key] {
            case .int(let i)?: return Double(i)
            case .double(let d)?: return d
            default: throw ModelError.invalidConfiguration("perplexity.json: \(key)")
            }
        }
        return Reference(context: Int(try number("context")), stride: Int(try number("stride")),
                         prefixTokens: Int(try number("prefix_tokens")), prefixPerplexity: try number("prefix_perplexity"),
                         unigramPerplexity: try number("unigram_perplexity"))
    }

    @Test func kjvModel_HeldOutPerplexityMatchesTrainingScriptAndBeatsUnigram() throws {
        let model = try GPT2Model(directory: Self.directory)
        let tokenizer = try ByteLevelBPETokenizer(vocabularyPath: Self.directory + "/vocab.json",
                                                  mergesPath: Self.directory + "/merges.txt")
        let reference = try Self.reference()
        #expect(reference.context == model.configuration.maximumPositions)
        // Only the start of the text is tokenized (≈ 3.6 characters per token here); pieces never span far, so the
        // first tokens equal those of the whole text that the training script scored.
        let text = try ModelFiles.readText(ModelFixtures.fixture("kjv/heldout.txt"))
        let tokens = Array(tokenizer.encode(String(text.prefix(8 * reference.prefixTokens))).prefix(reference.prefixTokens))
        #expect(tokens.count == reference.prefixTokens)
        let result = Perplexity.slidingWindow(tokens: tokens, context: reference.context, stride: reference.stride,
                                              logits: model.logits)
        print("kjv-gpt2: held-out perplexity \(result.perplexity) over \(result.scoredTokens) tokens "
              + "(context \(reference.context), stride \(reference.stride)); JAX \(reference.prefixPerplexity); "
              + "unigram \(reference.unigramPerplexity)")
        #expect(result.scoredTokens == reference.prefixTokens - 1)
        #expect(abs(result.perplexity / reference.prefixPerplexity - 1) < 1e-3)
        #expect(result.perplexity < reference.unigramPerplexity / 4)
    }

    @Test func logits_AreCausal() throws {
        let model = try GPT2Model(directory: Self.directory)
        let ids: [Int32] = [100, 200, 300, 400, 500, 600]
        let short = model.logits(Array(ids.prefix(3)))
        let long = model.logits(ids)
        let width = model.configuration.vocabularySize
        #expect(long.shape == [6, width])
        let difference = zip(short.values, long.rows(0 ..< 3).values).map { abs($0 - $1) }.max()!
        #expect(difference < 1e-4)
    }

    @Test func slidingWindow_ScoresEveryTokenOnceWithAUniformModel() {
        // A model that gives every token the same logit has perplexity equal to the vocabulary size.
        let tokens: [Int32] = (0 ..< 50).map { Int32($0 % 7) }
        let result = Perplexity.slidingWindow(tokens: tokens, context: 8, stride: 3) { window in
            Tensor(zeros: [window.count, 7])
        }
        #expect(result.scoredTokens == 49)
        #expect(abs(result.perplexity - 7) < 1e-9)
    }

    @Test func slidingWindow_UsesOnlyTheWindowAsContext() {
        // The "model" predicts the previous token with certainty when it can see it; at context 2 every scored
        // token has exactly one token of history, so a stream that repeats each token twice is half predictable.
        let tokens: [Int32] = [1, 1, 2, 2, 3, 3, 4, 4]
        var windows: [[Int32]] = []
        let result = Perplexity.slidingWindow(tokens: tokens, context: 4, stride: 2) { window in
            windows.append(window)
            var values = [Float](repeating: 0, count: window.count * 5)
            for (row, id) in window.enumerated() { values[row * 5 + Int(id)] = 30 }
            return Tensor(shape: [window.count, 5], values: values)
        }
        #expect(windows == [[1, 1, 2, 2], [2, 2, 3, 3], [3, 3, 4, 4]])
        #expect(result.scoredTokens == 7)
    }
}
