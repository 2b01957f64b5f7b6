/// Max pooling over `kernel × kernel` windows of each channel, without padding (PyTorch `nn.MaxPool2d`).
public struct MaxPool2D: Sendable {
    public let kernel: Int
    public let stride: Int

    public init(kernel: Int, stride: Int) {
        precondition(kernel > 0 && stride > 0, "MaxPool2D: kernel \(kernel), stride \(stride)")
        self.kernel = kernel
        self.stride = stride
    }

    /// Pools `x: [channels, H, W]` to `[channels, (H − k)/s + 1, (W − k)/s + 1]`.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 3 && x.shape[1] >= kernel && x.shape[2] >= kernel, "MaxPool2D: input \(x.shape)")
        let (channels, h, w) = (x.shape[0], x.shape[1], x.shape[2])
        let (oh, ow) = ((h - kernel) / stride + 1, (w - kernel) / stride + 1)
        var out = Tensor(zeros: [channels, oh, ow])
        x.withUnsafeBufferPointer { input in
            out.withUnsafeMutableBufferPointer { y in
                for c in 0 ..< channels {
                    for oy in 0 ..< oh {
                        for ox in 0 ..< ow {
                            var largest = -Float.infinity
                            for ky in 0 ..< kernel {
                                for kx in 0 ..< kernel {
                                    largest = max(largest, input[(c * h + oy * stride + ky) * w + ox * stride + kx])
                                }
                            }
                            y[(c * oh + oy) * ow + ox] = largest
                        }
                    }
                }
            }
        }
        return out
    }
}
