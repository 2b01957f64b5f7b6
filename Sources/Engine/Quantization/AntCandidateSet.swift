/// ANT candidate type sets (QUANT_SPEC §2.1 mode strings).
public enum AntCandidateSet: String, Sendable, Hashable, CaseIterable {
    /// int only.
    case int = "Int"
    /// {int, pot}.
    case ip = "IP"
    /// {float, int, pot}.
    case fip = "FIP"
    /// {int, pot, flint}.
    case ipf = "IP-F"
    /// {float, int, pot, flint}.
    case fipf = "FIP-F"

    /// The families in the reference's order; `float` is ANT's E3 float.
    public var kinds: [AntKind] {
        switch self {
        case .int: [.int]
        case .ip: [.int, .pot]
        case .fip: [.float, .int, .pot]
        case .ipf: [.int, .pot, .flint]
        case .fipf: [.float, .int, .pot, .flint]
        }
    }

    /// A family ANT can pick; signedness follows the tensor (§0).
    public enum AntKind: String, Sendable, Hashable {
        /// Two's complement int (unsigned for non-negative tensors).
        case int
        /// Power of two.
        case pot
        /// Flint.
        case flint
        /// ANT float (E3 where it fits).
        case float
    }

    /// The concrete candidate types at `bits`; above 6 bits ANT always uses int (§1.3, §2.1).
    public func candidates(bits: Int, signed: Bool) throws(FormatError) -> [ElementType] {
        let families = bits > 6 ? [AntKind.int] : kinds
        var types: [ElementType] = []
        for family in families {
            switch family {
            case .int: types.append(try ElementType(.int(signed ? .twosComplement : .unsigned), bits: bits))
            case .pot: types.append(try ElementType(.pot, bits: bits, signed: signed))
            case .flint: types.append(try ElementType(.flint, bits: bits, signed: signed))
            case .float: types.append(try ElementType.antFloat(bits: bits, signed: signed))
            }
        }
        return types
    }
}
