/// The quantizable part of a matrix layer (``Linear`` or ``Conv2D``), handed to ``QuantizableModel/updateLayers(_:)``:
/// its checkpoint name, its weight (`[outputs, …]`, read as `[outputs, inputs]`) and its ``LayerQuantization``.
public struct QuantizableLayer: Sendable {
    /// The safetensors name without `.weight`.
    public let name: String
    /// The weight in the layer's own shape; replacements must keep the shape.
    public var weight: Tensor
    public var quantization: LayerQuantization

    /// The weight as `[outputs, inputs]` (a convolution's `[O, I, k, k]` as `[O, I·k·k]`).
    public var matrix: Tensor { weight.asMatrix() }
}

/// A model whose matrix layers can be listed and quantized.
public protocol QuantizableModel: Sendable {
    /// Applies `body` to every matrix layer, in forward order.
    mutating func updateLayers<E: Error>(_ body: (inout QuantizableLayer) throws(E) -> Void) throws(E)
    /// Float32 parameters held outside the matrix layers' weights (embeddings, norms, biases).
    var otherParameterCount: Int { get }
}

extension QuantizableModel {
    /// Every matrix layer, in forward order.
    public var quantizableLayers: [QuantizableLayer] {
        var copy = self
        var layers: [QuantizableLayer] = []
        copy.updateLayers { layers.append($0) }
        return layers
    }

    /// Model size: the matrix weights as stored (codes + scales when quantized, Float32 otherwise) plus every other
    /// parameter in Float32.
    public var modelBytes: Int {
        quantizableLayers.reduce(4 * otherParameterCount) { $0 + $1.quantization.weightBytes(elements: $1.weight.count) }
    }
}

/// A layer that is one matrix product with a weight: ``Linear`` and ``Conv2D``.
public protocol MatrixLayer: Sendable {
    var name: String { get }
    var weight: Tensor { get set }
    var quantization: LayerQuantization { get set }
}

extension MatrixLayer {
    /// Lets `body` change the weight and quantization, keeping the shape.
    public mutating func update<E: Error>(_ body: (inout QuantizableLayer) throws(E) -> Void) throws(E) {
        var layer = QuantizableLayer(name: name, weight: weight, quantization: quantization)
        try body(&layer)
        precondition(layer.weight.shape == weight.shape, "\(name): replacement weight \(layer.weight.shape) ≠ \(weight.shape)")
        weight = layer.weight
        quantization = layer.quantization
    }
}

extension Linear: MatrixLayer {
    /// Bias elements (the weight is counted by the model as a matrix layer).
    var biasCount: Int { bias?.count ?? 0 }
}

extension Conv2D: MatrixLayer {}
