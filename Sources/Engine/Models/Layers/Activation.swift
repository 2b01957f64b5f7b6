#if canImport(Glibc)
import Glibc
#endif

/// Element-wise non-linearities, named as Hugging Face configs name them (`hidden_act`, `activation_function`).
public enum Activation: String, Sendable, CaseIterable {
    /// `max(0, x)`.
    case relu
    /// The exact GELU `x · Φ(x) = x/2 · (1 + erf(x/√2))` (Hendrycks & Gimpel 2016), BERT's "gelu".
    case gelu
    /// The tanh approximation `x/2 · (1 + tanh(√(2/π) · (x + 0.044715 x³)))`, GPT-2's "gelu_new".
    case geluTanh = "gelu_new"

    /// The activation applied to one value.
    @inline(__always)
    public func apply(_ x: Float) -> Float {
        switch self {
        case .relu:
            return max(0, x)
        case .gelu:
            return 0.5 * x * (1 + erff(x * 0.707_106_781_186_547_5))
        case .geluTanh:
            return 0.5 * x * (1 + tanhf(0.797_884_560_802_865_4 * (x + 0.044715 * x * x * x)))
        }
    }

    /// The activation applied to every element.
    public func callAsFunction(_ x: Tensor) -> Tensor {
        var out = x
        out.withUnsafeMutableBufferPointer { y in
            for i in y.indices { y[i] = apply(y[i]) }
        }
        return out
    }
}
