/// What `Quantizer` should do with a tensor.
public enum QuantizationMethod: Sendable, Hashable {
    /// A fixed family; signedness follows the tensor (signed when any value is negative, QUANT_SPEC §0)
    /// except for explicit int encodings.
    case fixed(FixedFamily)
    /// ANT adaptive selection over a candidate set (§2.1).
    case ant(AntCandidateSet)
    /// OliVe pairs (§3): normal type chosen between int4 and flint4 at 4 bits, int8 at 8 bits.
    case olive(abfloat8: OliveFormat.Abfloat8Variant, pairRule: OliveFormat.PairRule)

    /// Families for `.fixed`.
    public enum FixedFamily: Sendable, Hashable {
        /// Two's complement, or unsigned for non-negative tensors.
        case int
        /// Symmetric int (−(2^(b−1)−1) … 2^(b−1)−1).
        case intSymmetric
        /// Asymmetric int with zero-point.
        case intAsymmetric
        /// Power of two.
        case pot
        /// Flint.
        case flint
        /// Float with this many exponent bits (mantissa = remaining bits).
        case float(exponentBits: Int)
    }
}
