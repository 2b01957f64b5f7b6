/// A 2-D convolution (cross-correlation, as PyTorch `nn.Conv2d`) computed as im2col followed by one GEMM:
/// the `[outChannels, inChannels·k·k]` weights times the transposed `[outH·outW, inChannels·k·k]` patch matrix.
/// Patches are the GEMM's input rows, so a quantized convolution treats each patch as a token (``LayerQuantization``).
public struct Conv2D: Sendable {
    /// The name in the architecture file; quant configs match it.
    public var name: String
    /// Input division and activation quantization; plain Float32 by default.
    public var quantization = LayerQuantization()
    /// Weights `[outChannels, inChannels, kernel, kernel]` (fake-quantized when the layer is quantized).
    public var weight: Tensor
    /// Bias `[outChannels]`.
    public var bias: [Float]
    public let stride: Int
    public let padding: Int

    /// A square-kernel convolution.
    public init(name: String = "", weight: Tensor, bias: [Float]?, stride: Int, padding: Int) {
        precondition(weight.rank == 4 && weight.shape[2] == weight.shape[3], "Conv2D: weight must be [O, I, k, k], got \(weight.shape)")
        precondition(stride > 0 && padding >= 0, "Conv2D: stride \(stride), padding \(padding)")
        self.name = name
        self.weight = weight
        self.bias = bias ?? [Float](repeating: 0, count: weight.shape[0])
        precondition(self.bias.count == weight.shape[0], "Conv2D: bias length \(self.bias.count) ≠ \(weight.shape[0])")
        self.stride = stride
        self.padding = padding
    }

    public var outChannels: Int { weight.shape[0] }
    public var inChannels: Int { weight.shape[1] }
    public var kernel: Int { weight.shape[2] }

    /// The convolution followed by `norm`, as one convolution: `W' = W · scale[o]`, `b' = b · scale[o] + shift[o]`.
    public func folding(_ norm: BatchNorm) -> Conv2D {
        precondition(norm.gamma.count == outChannels, "Conv2D: batch norm has \(norm.gamma.count) channels, conv \(outChannels)")
        let (scale, shift) = norm.affine
        let perFilter = inChannels * kernel * kernel
        var w = weight.values
        for o in 0 ..< outChannels {
            for i in 0 ..< perFilter { w[o * perFilter + i] *= scale[o] }
        }
        let b = (0 ..< outChannels).map { bias[$0] * scale[$0] + shift[$0] }
        return Conv2D(name: name, weight: Tensor(shape: weight.shape, values: w), bias: b, stride: stride, padding: padding)
    }

    /// Output height or width for an input extent.
    public func outputExtent(_ input: Int) -> Int { (input + 2 * padding - kernel) / stride + 1 }

    /// Convolves one image `x: [inChannels, H, W]` to `[outChannels, H', W']`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[0] == inChannels, "Conv2D: input \(x.shape) needs [\(inChannels), H, W]")
        let (h, w) = (x.shape[1], x.shape[2])
        let (oh, ow) = (outputExtent(h), outputExtent(w))
        precondition(oh > 0 && ow > 0, "Conv2D: input \(x.shape) too small for kernel \(kernel)")
        let k = kernel
        let width = inChannels * k * k
        var patches = Tensor(zeros: [oh * ow, width])
        x.withUnsafeBufferPointer { input in
            patches.withUnsafeMutableBufferPointer { rows in
                for oy in 0 ..< oh {
                    for ox in 0 ..< ow {
                        let base = (oy * ow + ox) * width
                        for c in 0 ..< inChannels {
                            for ky in 0 ..< k {
                                let iy = oy * stride - padding + ky
                                guard iy >= 0 && iy < h else { continue }  // zero padding: the entries stay 0
                                for kx in 0 ..< k {
                                    let ix = ox * stride - padding + kx
                                    if ix >= 0 && ix < w { rows[base + (c * k + ky) * k + kx] = input[(c * h + iy) * w + ix] }
                                }
                            }
                        }
                    }
                }
            }
        }
        ForwardObservation.current?.layerInput(name, patches)
        var out = MatrixProduct.multiply(weight.reshaped([outChannels, width]), transposed: quantization.prepare(patches, layer: name))
        let plane = oh * ow
        out.withUnsafeMutableBufferPointer { y in
            for o in 0 ..< outChannels {
                for i in 0 ..< plane { y[o * plane + i] += bias[o] }
            }
        }
        return out.reshaped([outChannels, oh, ow])
    }
}
