import JSON
/// The fields of a Hugging Face `GPT2Config` (config.json) that the decoder needs.
public struct GPT2Configuration: Sendable, Equatable {
    public var vocabularySize: Int
    /// Context length: the number of learned positions.
    public var maximumPositions: Int
    public var hiddenSize: Int
    public var layerCount: Int
    public var headCount: Int
    /// MLP width (`n_inner`; GPT-2 uses 4 × hidden when it is null).
    public var innerSize: Int
    public var layerNormEpsilon: Float
    public var activation: Activation

    /// Reads config.json.
    public init(_ config: ConfigurationReader) throws(ModelError) {
        vocabularySize = try config.positiveInteger("vocab_size")
        maximumPositions = try config.positiveInteger("n_positions")
        hiddenSize = try config.positiveInteger("n_embd")
        layerCount = try config.positiveInteger("n_layer")
        headCount = try config.positiveInteger("n_head")
        innerSize = config.json["n_inner"] == .null ? 4 * hiddenSize : try config.positiveInteger("n_inner", default: 4 * hiddenSize)
        layerNormEpsilon = Float(try config.number("layer_norm_epsilon", default: 1e-5))
        let name = try config.string("activation_function", default: "gelu_new")
        guard let activation = Activation(rawValue: name) else { throw .invalidConfiguration("activation_function \(name) is not supported") }
        self.activation = activation
        guard hiddenSize % headCount == 0 else {
            throw .invalidConfiguration("n_embd \(hiddenSize) is not a multiple of n_head \(headCount)")
        }
    }
}
