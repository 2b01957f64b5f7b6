/// How `PackedMatrix.gemv` reads its activation vector.
public enum GEMVActivations: Sendable, Equatable, CustomStringConvertible {
    /// Exact Float32 activations: the only roundings are those of the Float32 arithmetic.
    case float32
    /// Activations quantized on the fly to symmetric integers of `bits` bits (2…16) with one scale per block of
    /// `PackedMatrix.activationBlockLength` elements (`BlockQuantizedActivations`); the product is y = W·x̂ with
    /// x̂ = s_b·round(x / s_b), s_b = max|x_b| / (2^(bits−1) − 1). Uniform int4 and int8 weights then multiply in
    /// integer arithmetic (the AVX2 kernels); every other format, and every CPU without AVX2, multiplies x̂ in
    /// Float32, so the result is the same product whichever path runs. With 16 bits |x − x̂| ≤ max|x_b| / 65 534.
    case integer(bits: Int)

    /// The accepted bit-widths of `.integer`.
    public static let integerBits = 2 ... 16

    public var description: String {
        switch self {
        case .float32: return "float32"
        case .integer(let bits): return "int\(bits)"
        }
    }
}
