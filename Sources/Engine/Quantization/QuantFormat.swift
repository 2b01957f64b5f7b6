/// The storage format of a quantized tensor: a scalar element type or an OliVe pair format.
public enum QuantFormat: Sendable, Hashable, CustomStringConvertible {
    /// Codes of one element type, bit-packed per row.
    case element(ElementType)
    /// OliVe outlier-victim pairs.
    case olive(OliveFormat)

    /// Bits per element.
    public var bits: Int {
        switch self {
        case .element(let t): t.bits
        case .olive(let f): f.bits
        }
    }

    /// The canonical name (`flint4`, `olive-int4`, …).
    public var description: String {
        switch self {
        case .element(let t): t.description
        case .olive(let f): f.description
        }
    }
}
