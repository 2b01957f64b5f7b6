/// A sentence-transformers model: WordPiece tokenizer, BERT encoder, mean pooling and L2 normalisation
/// (the modules.json pipeline Transformer → Pooling(mean) → Normalize of all-MiniLM-L6-v2).
///
/// ```swift
/// let embedder = try SentenceEmbedder(directory: "models/all-MiniLM-L6-v2")
/// let vector = embedder.embed("A man is playing a guitar.")   // 384 floats, unit length
/// ```
public struct SentenceEmbedder: Sendable {
    public let tokenizer: WordPieceTokenizer
    /// Var so that its layers can be quantized in place.
    public var encoder: BertEncoder
    /// Longer inputs are cut to this many tokens, [CLS] and [SEP] included (sentence_bert_config.json
    /// `max_seq_length`, else the model's position count).
    public let maximumTokens: Int

    /// Loads vocab.txt, config.json, model.safetensors and, when present, sentence_bert_config.json.
    public init(directory: String) throws(ModelError) {
        tokenizer = try WordPieceTokenizer(vocabularyPath: directory + "/vocab.txt")
        encoder = try BertEncoder(directory: directory)
        var limit = encoder.configuration.maximumPositions
        let settingsPath = directory + "/sentence_bert_config.json"
        if ModelFiles.exists(settingsPath) {
            limit = min(limit, try ConfigurationReader(path: settingsPath).positiveInteger("max_seq_length", default: limit))
        }
        guard limit >= 2 else { throw .invalidConfiguration("max_seq_length \(limit) leaves no room for text") }
        maximumTokens = limit
    }

    /// The token ids the encoder sees for `text`.
    public func tokenIDs(_ text: String) -> [Int32] {
        tokenizer.encode(text, maximumLength: maximumTokens)
    }

    /// The unit-length sentence embedding of `text`.
    public func embed(_ text: String) -> [Float] {
        Pooling.l2Normalized(Pooling.meanOfRows(encoder.hiddenStates(tokenIDs(text))))
    }
}

extension SentenceEmbedder: QuantizableModel {
    public mutating func updateLayers<E: Error>(_ body: (inout QuantizableLayer) throws(E) -> Void) throws(E) {
        try encoder.updateLayers(body)
    }

    public var otherParameterCount: Int { encoder.otherParameterCount }
}
