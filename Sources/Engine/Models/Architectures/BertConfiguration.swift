/// The fields of a Hugging Face `BertConfig` (config.json) that the encoder needs.
public struct BertConfiguration: Sendable, Equatable {
    public var vocabularySize: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    public var intermediateSize: Int
    public var maximumPositions: Int
    public var tokenTypeCount: Int
    public var layerNormEpsilon: Float
    public var activation: Activation

    /// Reads config.json; only absolute position embeddings are supported.
    public init(_ config: ConfigurationReader) throws(ModelError) {
        vocabularySize = try config.positiveInteger("vocab_size")
        hiddenSize = try config.positiveInteger("hidden_size")
        layerCount = try config.positiveInteger("num_hidden_layers")
        headCount = try config.positiveInteger("num_attention_heads")
        intermediateSize = try config.positiveInteger("intermediate_size")
        maximumPositions = try config.positiveInteger("max_position_embeddings")
        tokenTypeCount = try config.positiveInteger("type_vocab_size", default: 2)
        layerNormEpsilon = Float(try config.number("layer_norm_eps", default: 1e-12))
        let act = try config.string("hidden_act", default: "gelu")
        guard let activation = Activation(rawValue: act) else { throw .invalidConfiguration("hidden_act \(act) is not supported") }
        self.activation = activation
        let positions = try config.string("position_embedding_type", default: "absolute")
        guard positions == "absolute" else { throw .invalidConfiguration("position_embedding_type \(positions) is not supported") }
        guard hiddenSize % headCount == 0 else {
            throw .invalidConfiguration("hidden_size \(hiddenSize) is not a multiple of num_attention_heads \(headCount)")
        }
    }
}
