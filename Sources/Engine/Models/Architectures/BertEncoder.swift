/// A BERT encoder (Devlin et al. 2019) in Float32: embeddings (word + position + token type, then LayerNorm) and
/// post-LayerNorm transformer layers `x = LN(x + Attention(x))`, `x = LN(x + W₂ act(W₁ x))`.
/// Weight names follow Hugging Face `BertModel` (`embeddings.*`, `encoder.layer.{i}.*`), with or without a `bert.` prefix.
public struct BertEncoder: Sendable {
    /// One transformer layer.
    public struct Layer: Sendable {
        public var attention: MultiHeadAttention
        public var attentionNorm: LayerNorm
        public var intermediate: Linear
        public var output: Linear
        public var outputNorm: LayerNorm
    }

    public let configuration: BertConfiguration
    public var wordEmbeddings: Embedding
    public var positionEmbeddings: Embedding
    public var tokenTypeEmbeddings: Embedding
    public var embeddingNorm: LayerNorm
    public var layers: [Layer]

    /// Loads `config.json` and `model.safetensors` from a model folder.
    public init(directory: String) throws(ModelError) {
        let configuration = try BertConfiguration(ConfigurationReader(path: directory + "/config.json"))
        try self.init(configuration: configuration, weights: ModelFiles.openWeights(directory + "/model.safetensors"))
    }

    /// Builds the encoder from a configuration and its weights, checking every shape.
    public init(configuration c: BertConfiguration, weights: SafetensorsFile) throws(ModelError) {
        let prefix = weights.entries.contains { $0.name.hasPrefix("bert.") } ? "bert." : ""
        func tensor(_ name: String, _ shape: [Int]) throws(ModelError) -> Tensor {
            try ModelFiles.tensor(weights, prefix + name, shape: shape)
        }
        func linear(_ name: String, outputs: Int, inputs: Int) throws(ModelError) -> Linear {
            Linear(name: name, weight: try tensor(name + ".weight", [outputs, inputs]), bias: try tensor(name + ".bias", [outputs]))
        }
        func norm(_ name: String) throws(ModelError) -> LayerNorm {
            LayerNorm(weight: try tensor(name + ".weight", [c.hiddenSize]), bias: try tensor(name + ".bias", [c.hiddenSize]),
                      epsilon: c.layerNormEpsilon)
        }
        let h = c.hiddenSize
        configuration = c
        wordEmbeddings = Embedding(table: try tensor("embeddings.word_embeddings.weight", [c.vocabularySize, h]))
        positionEmbeddings = Embedding(table: try tensor("embeddings.position_embeddings.weight", [c.maximumPositions, h]))
        tokenTypeEmbeddings = Embedding(table: try tensor("embeddings.token_type_embeddings.weight", [c.tokenTypeCount, h]))
        embeddingNorm = try norm("embeddings.LayerNorm")
        var layers: [Layer] = []
        for i in 0 ..< c.layerCount {
            let p = "encoder.layer.\(i)."
            let attention = MultiHeadAttention(
                query: try linear(p + "attention.self.query", outputs: h, inputs: h),
                key: try linear(p + "attention.self.key", outputs: h, inputs: h),
                value: try linear(p + "attention.self.value", outputs: h, inputs: h),
                output: try linear(p + "attention.output.dense", outputs: h, inputs: h),
                heads: c.headCount, isCausal: false)
            layers.append(Layer(
                attention: attention,
                attentionNorm: try norm(p + "attention.output.LayerNorm"),
                intermediate: try linear(p + "intermediate.dense", outputs: c.intermediateSize, inputs: h),
                output: try linear(p + "output.dense", outputs: h, inputs: c.intermediateSize),
                outputNorm: try norm(p + "output.LayerNorm")))
        }
        self.layers = layers
    }

    /// The last hidden states `[ids.count, hiddenSize]` of one unpadded sequence (token type 0 throughout).
    public func hiddenStates(_ ids: [Int32]) -> Tensor {
        precondition(!ids.isEmpty && ids.count <= configuration.maximumPositions,
                     "BertEncoder: \(ids.count) tokens, the model takes 1…\(configuration.maximumPositions)")
        var x = wordEmbeddings(ids)
            .adding(positionEmbeddings.prefix(ids.count))
            .addingToEachRow(tokenTypeEmbeddings.prefix(1))
        x = embeddingNorm(x)
        for layer in layers {
            x = layer.attentionNorm(x.adding(layer.attention(x)))
            let inner = configuration.activation(layer.intermediate(x))
            x = layer.outputNorm(x.adding(layer.output(inner)))
        }
        return x
    }
}

extension BertEncoder: QuantizableModel {
    /// Per layer: query, key, value, attention output, intermediate, output (names without a `bert.` prefix).
    public mutating func updateLayers<E: Error>(_ body: (inout QuantizableLayer) throws(E) -> Void) throws(E) {
        for i in layers.indices {
            try layers[i].attention.updateLayers { (linear: inout Linear) throws(E) in try linear.update(body) }
            try layers[i].intermediate.update(body)
            try layers[i].output.update(body)
        }
    }

    public var otherParameterCount: Int {
        let embeddings = wordEmbeddings.table.count + positionEmbeddings.table.count + tokenTypeEmbeddings.table.count
        return layers.reduce(embeddings + embeddingNorm.parameterCount) { total, layer in
            total + layer.attention.biasCount + layer.attentionNorm.parameterCount + layer.intermediate.biasCount
                + layer.output.biasCount + layer.outputNorm.parameterCount
        }
    }
}
