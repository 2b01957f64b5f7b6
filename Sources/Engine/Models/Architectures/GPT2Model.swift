/// A GPT-2 decoder (Radford et al. 2019) in Float32: token + learned position embeddings, pre-LayerNorm blocks
/// `x += Attention(LN₁ x)` (causal) and `x += W₂ act(W₁ LN₂ x)`, a final LayerNorm, and logits from the token
/// embedding matrix (tied output projection).
///
/// Weight names follow Hugging Face `GPT2Model` (`wte`, `wpe`, `h.{i}.…`, `ln_f`), with or without a `transformer.`
/// prefix. GPT-2's `Conv1D` layers store weights `[in, out]`; they are transposed to ``Linear``'s `[out, in]` at load,
/// and the fused `c_attn` projection stays one layer (its output rows are query, key and value).
public struct GPT2Model: Sendable {
    /// One decoder block.
    public struct Block: Sendable {
        public var attentionNorm: LayerNorm
        public var attention: MultiHeadAttention
        public var mlpNorm: LayerNorm
        public var expand: Linear
        public var contract: Linear
    }

    public let configuration: GPT2Configuration
    public var tokenEmbeddings: Embedding
    public var positionEmbeddings: Embedding
    public var blocks: [Block]
    public var finalNorm: LayerNorm

    /// Loads `config.json` and `model.safetensors` from a model folder.
    public init(directory: String) throws(ModelError) {
        try self.init(configuration: GPT2Configuration(ConfigurationReader(path: directory + "/config.json")),
                      weights: ModelFiles.openWeights(directory + "/model.safetensors"))
    }

    /// Builds the decoder, checking every shape.
    public init(configuration c: GPT2Configuration, weights: SafetensorsFile) throws(ModelError) {
        let prefix = weights.entries.contains { $0.name.hasPrefix("transformer.") } ? "transformer." : ""
        let d = c.hiddenSize
        func tensor(_ name: String, _ shape: [Int]) throws(ModelError) -> Tensor {
            try ModelFiles.tensor(weights, prefix + name, shape: shape)
        }
        func norm(_ name: String) throws(ModelError) -> LayerNorm {
            LayerNorm(weight: try tensor(name + ".weight", [d]), bias: try tensor(name + ".bias", [d]), epsilon: c.layerNormEpsilon)
        }
        func conv1D(_ name: String, inputs: Int, outputs: Int) throws(ModelError) -> Linear {
            Linear(name: name, weight: try tensor(name + ".weight", [inputs, outputs]).transposedMatrix(),
                   bias: try tensor(name + ".bias", [outputs]))
        }
        configuration = c
        tokenEmbeddings = Embedding(table: try tensor("wte.weight", [c.vocabularySize, d]))
        positionEmbeddings = Embedding(table: try tensor("wpe.weight", [c.maximumPositions, d]))
        var blocks: [Block] = []
        for i in 0 ..< c.layerCount {
            let h = "h.\(i)."
            let attention = MultiHeadAttention(projections: .fused(try conv1D(h + "attn.c_attn", inputs: d, outputs: 3 * d)),
                                               output: try conv1D(h + "attn.c_proj", inputs: d, outputs: d),
                                               heads: c.headCount, isCausal: true)
            blocks.append(Block(attentionNorm: try norm(h + "ln_1"), attention: attention, mlpNorm: try norm(h + "ln_2"),
                                expand: try conv1D(h + "mlp.c_fc", inputs: d, outputs: c.innerSize),
                                contract: try conv1D(h + "mlp.c_proj", inputs: c.innerSize, outputs: d)))
        }
        self.blocks = blocks
        finalNorm = try norm("ln_f")
    }

    /// Next-token logits `[ids.count, vocabularySize]`: row i scores the token after `ids[i]` given `ids[...i]`.
    public func logits(_ ids: [Int32]) -> Tensor {
        precondition(!ids.isEmpty && ids.count <= configuration.maximumPositions,
                     "GPT2Model: \(ids.count) tokens, the context holds 1…\(configuration.maximumPositions)")
        var x = tokenEmbeddings(ids).adding(positionEmbeddings.prefix(ids.count))
        for block in blocks {
            x = x.adding(block.attention(block.attentionNorm(x)))
            x = x.adding(block.contract(configuration.activation(block.expand(block.mlpNorm(x)))))
        }
        return MatrixProduct.multiply(finalNorm(x), transposed: tokenEmbeddings.table)
    }
}

extension GPT2Model: QuantizableModel {
    /// Per block: `h.{i}.attn.c_attn`, `h.{i}.attn.c_proj`, `h.{i}.mlp.c_fc`, `h.{i}.mlp.c_proj` (no `transformer.`
    /// prefix). The embeddings and the tied output projection stay Float32.
    public mutating func updateLayers<E: Error>(_ body: (inout QuantizableLayer) throws(E) -> Void) throws(E) {
        for i in blocks.indices {
            try blocks[i].attention.updateLayers { (linear: inout Linear) throws(E) in try linear.update(body) }
            try blocks[i].expand.update(body)
            try blocks[i].contract.update(body)
        }
    }

    public var otherParameterCount: Int {
        let embeddings = tokenEmbeddings.table.count + positionEmbeddings.table.count + finalNorm.parameterCount
        return blocks.reduce(embeddings) { total, block in
            total + block.attentionNorm.parameterCount + block.attention.biasCount + block.mlpNorm.parameterCount
                + block.expand.biasCount + block.contract.biasCount
        }
    }
}
