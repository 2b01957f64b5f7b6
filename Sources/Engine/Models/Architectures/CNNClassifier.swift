import JSON
/// An image classifier described by a small JSON architecture file plus a safetensors file of weights.
///
/// architecture.json: `{"input_shape": [C, H, W], "input_scale": s, "classes": n, "layers": [...]}` with layers
/// `{"op": "conv2d", "name", "in_channels", "out_channels", "kernel", "stride", "padding"}`,
/// `{"op": "batchnorm", "name", "eps"}` (must directly follow a conv2d; folded into it at load),
/// `{"op": "relu"}`, `{"op": "maxpool2d", "kernel", "stride"}`, `{"op": "residual", "layers": [...]}` (x + body(x)),
/// `{"op": "global_avgpool"}`, `{"op": "flatten"}` and `{"op": "linear", "name", "in_features", "out_features"}`.
/// Weights are `<name>.weight` / `<name>.bias`; batch norms add `<name>.running_mean` and `<name>.running_var`.
public struct CNNClassifier: Sendable {
    /// One step of the graph, with batch norms already folded away.
    public indirect enum Operation: Sendable {
        case conv(Conv2D)
        case relu
        case maxPool(MaxPool2D)
        case residual([Operation])
        case globalAveragePool
        case flatten
        case linear(Linear)
    }

    public let inputShape: [Int]
    /// Raw pixel values are multiplied by this before the first layer.
    public let inputScale: Float
    public let classCount: Int
    /// Var so that its layers can be quantized in place.
    public var operations: [Operation]

    /// Loads `architecture.json` and `weights.safetensors` from `directory`.
    public init(directory: String) throws(ModelError) {
        try self.init(architecture: ConfigurationReader(path: directory + "/architecture.json"),
                      weights: ModelFiles.openWeights(directory + "/weights.safetensors"))
    }

    /// Builds the graph, checking every weight shape and folding each batch norm into its convolution.
    public init(architecture: ConfigurationReader, weights: SafetensorsFile) throws(ModelError) {
        guard let shape = architecture.json["input_shape"]?.arrayValue?.compactMap({ $0.integerValue }), shape.count == 3,
              shape.allSatisfy({ $0 > 0 }) else {
            throw .invalidConfiguration("input_shape must be [channels, height, width]")
        }
        inputShape = shape.map { Int($0) }
        inputScale = Float(try architecture.number("input_scale", default: 1))
        classCount = try architecture.positiveInteger("classes")
        guard let layers = architecture.json["layers"]?.arrayValue else { throw .invalidConfiguration("layers must be an array") }
        operations = try CNNClassifier.operations(layers, weights)
    }

    private static func operations(_ layers: [JSONValue], _ weights: SafetensorsFile) throws(ModelError) -> [Operation] {
        var result: [Operation] = []
        for layer in layers {
            let spec = try ConfigurationReader(layer)
            let op = try spec.string("op", default: "")
            switch op {
            case "conv2d":
                let name = try spec.string("name", default: "")
                let (i, o, k) = (try spec.positiveInteger("in_channels"), try spec.positiveInteger("out_channels"),
                                 try spec.positiveInteger("kernel"))
                let padding = try spec.nonNegativeInteger("padding", default: 0)
                let weight = try ModelFiles.tensor(weights, name + ".weight", shape: [o, i, k, k])
                let bias = try ModelFiles.tensor(weights, name + ".bias", shape: [o]).values
                result.append(.conv(Conv2D(name: name, weight: weight, bias: bias, stride: try spec.positiveInteger("stride", default: 1),
                                           padding: padding)))
            case "batchnorm":
                guard case .conv(let conv)? = result.last else {
                    throw .invalidConfiguration("batchnorm must directly follow a conv2d (it is folded into it)")
                }
                let name = try spec.string("name", default: "")
                let c = [conv.outChannels]
                let norm = BatchNorm(
                    gamma: try ModelFiles.tensor(weights, name + ".weight", shape: c).values,
                    beta: try ModelFiles.tensor(weights, name + ".bias", shape: c).values,
                    runningMean: try ModelFiles.tensor(weights, name + ".running_mean", shape: c).values,
                    runningVariance: try ModelFiles.tensor(weights, name + ".running_var", shape: c).values,
                    epsilon: Float(try spec.number("eps", default: 1e-5)))
                result[result.count - 1] = .conv(conv.folding(norm))
            case "relu":
                result.append(.relu)
            case "maxpool2d":
                let kernel = try spec.positiveInteger("kernel")
                result.append(.maxPool(MaxPool2D(kernel: kernel, stride: try spec.positiveInteger("stride", default: kernel))))
            case "residual":
                guard let body = spec.json["layers"]?.arrayValue else { throw .invalidConfiguration("residual needs layers") }
                result.append(.residual(try operations(body, weights)))
            case "global_avgpool":
                result.append(.globalAveragePool)
            case "flatten":
                result.append(.flatten)
            case "linear":
                let name = try spec.string("name", default: "")
                let (i, o) = (try spec.positiveInteger("in_features"), try spec.positiveInteger("out_features"))
                result.append(.linear(Linear(name: name, weight: try ModelFiles.tensor(weights, name + ".weight", shape: [o, i]),
                                             bias: try ModelFiles.tensor(weights, name + ".bias", shape: [o]))))
            default:
                throw .invalidConfiguration("unknown layer op \"\(op)\"")
            }
        }
        return result
    }

    /// Class scores for one image of `inputShape` (raw pixel values; `inputScale` is applied here).
    public func logits(_ image: Tensor) -> [Float] {
        precondition(image.shape == inputShape, "CNNClassifier: image \(image.shape) ≠ \(inputShape)")
        var x = image
        if inputScale != 1 {
            x.withUnsafeMutableBufferPointer { p in for i in p.indices { p[i] *= inputScale } }
        }
        let out = CNNClassifier.run(operations, x)
        precondition(out.count == classCount, "CNNClassifier: the graph produced \(out.count) values for \(classCount) classes")
        return out.values
    }

    /// The highest-scoring class.
    public func predict(_ image: Tensor) -> Int {
        let scores = logits(image)
        return scores.indices.max { scores[$0] < scores[$1] }!
    }

    private static func run(_ operations: [Operation], _ input: Tensor) -> Tensor {
        var x = input
        for operation in operations {
            switch operation {
            case .conv(let conv): x = conv(x)
            case .relu: x = Activation.relu(x)
            case .maxPool(let pool): x = pool(x)
            case .residual(let body): x = x.adding(run(body, x))
            case .globalAveragePool: x = Tensor(shape: [1, x.shape[0]], values: Pooling.globalAverage(x))
            case .flatten: x = x.reshaped([1, x.count])
            case .linear(let linear): x = linear(x.reshaped([1, x.count]))
            }
        }
        return x
    }
}

extension CNNClassifier: QuantizableModel {
    /// Every conv2d and linear, named as in architecture.json.
    public mutating func updateLayers<E: Error>(_ body: (inout QuantizableLayer) throws(E) -> Void) throws(E) {
        try CNNClassifier.update(&operations, body)
    }

    private static func update<E: Error>(_ operations: inout [Operation], _ body: (inout QuantizableLayer) throws(E) -> Void) throws(E) {
        for i in operations.indices {
            switch operations[i] {
            case .conv(var conv):
                try conv.update(body)
                operations[i] = .conv(conv)
            case .linear(var linear):
                try linear.update(body)
                operations[i] = .linear(linear)
            case .residual(var inner):
                try update(&inner, body)
                operations[i] = .residual(inner)
            case .relu, .maxPool, .globalAveragePool, .flatten:
                break
            }
        }
    }

    /// Biases (batch norms are folded into the convolutions).
    public var otherParameterCount: Int { CNNClassifier.biasCount(operations) }

    private static func biasCount(_ operations: [Operation]) -> Int {
        operations.reduce(0) { total, operation in
            switch operation {
            case .conv(let conv): total + conv.bias.count
            case .linear(let linear): total + linear.biasCount
            case .residual(let inner): total + biasCount(inner)
            case .relu, .maxPool, .globalAveragePool, .flatten: total
            }
        }
    }
}
