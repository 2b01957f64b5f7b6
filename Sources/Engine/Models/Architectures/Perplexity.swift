#if canImport(Glibc)
import Glibc
#endif

/// Perplexity `exp(−(1/N) Σ log p(token_t | context))` of a causal language model over a token stream.
public enum Perplexity {
    /// The result of an evaluation.
    public struct Result: Sendable, Equatable {
        public var perplexity: Double
        /// Tokens scored (every token but the first).
        public var scoredTokens: Int
        /// Σ −log p, in nats.
        public var negativeLogLikelihood: Double
    }

    /// Sliding-window evaluation (the Hugging Face "perplexity of fixed-length models" recipe): windows of `context`
    /// tokens start every `stride` tokens, and each scores only the tokens that earlier windows have not, so every
    /// token after the first is scored exactly once, with at least `context − stride` tokens of history once the
    /// stream is long enough.
    public static func slidingWindow(tokens: [Int32], context: Int, stride: Int,
                                     logits: ([Int32]) -> Tensor) -> Result {
        precondition(tokens.count >= 2, "Perplexity: needs at least two tokens")
        precondition(context >= 2 && stride >= 1 && stride < context, "Perplexity: context \(context), stride \(stride)")
        var total = 0.0
        var scored = 0
        var scoredUntil = 1
        var begin = 0
        while scoredUntil < tokens.count {
            let end = min(begin + context, tokens.count)
            let window = Array(tokens[begin ..< end])
            let scores = logits(window)
            let vocabulary = scores.shape[1]
            scores.withUnsafeBufferPointer { s in
                for position in scoredUntil ..< end {
                    let row = position - begin - 1
                    total -= logSoftmax(s, row: row, width: vocabulary, at: Int(tokens[position]))
                    scored += 1
                }
            }
            scoredUntil = end
            begin += stride
        }
        return Result(perplexity: exp(total / Double(scored)), scoredTokens: scored, negativeLogLikelihood: total)
    }

    /// `log softmax(row)[index]`, accumulated in Double.
    static func logSoftmax(_ s: UnsafeBufferPointer<Float>, row: Int, width: Int, at index: Int) -> Double {
        precondition(index >= 0 && index < width, "Perplexity: token \(index) outside the vocabulary of \(width)")
        let base = row * width
        var largest = -Float.infinity
        for j in 0 ..< width { largest = max(largest, s[base + j]) }
        var sum = 0.0
        for j in 0 ..< width { sum += exp(Double(s[base + j] - largest)) }
        return Double(s[base + index] - largest) - log(sum)
    }
}
