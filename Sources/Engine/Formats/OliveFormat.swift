/// An OliVe outlier-victim pair format (QUANT_SPEC §3): the normal type, the abfloat outlier type and the
/// rule for pairs of two outliers.
public struct OliveFormat: Sendable, Hashable, CustomStringConvertible {
    /// Normal value types (§3.2).
    public enum NormalType: String, Sendable, Hashable, CaseIterable {
        /// Symmetric int4, −7…7; `1000` is the identifier.
        case int4
        /// Signed flint4, sign + {0, 1, 2, 3, 4, 6, 8, 16}; −0 = `1000` is the identifier.
        case flint4
        /// Symmetric int8, −127…127; `1000 0000` is the identifier.
        case int8
    }

    /// The 8-bit outlier type: the paper's E4M3 or the released code's E2M5 (§1.5, discrepancy §10.2).
    public enum Abfloat8Variant: String, Sendable, Hashable, CaseIterable {
        /// Paper: E4M3 with adaptive bias.
        case e4m3
        /// Released code: E2M5 on the same base.
        case e2m5
    }

    /// What to keep when both elements of a pair are outliers (§3.3 step 4, discrepancy §10.1).
    public enum PairRule: String, Sendable, Hashable, CaseIterable {
        /// Paper: keep the larger magnitude (the left one on a tie).
        case keepLarger = "keep-larger"
        /// Reference code: always keep the left one.
        case keepLeft = "keep-left"
    }

    /// The normal type.
    public let normal: NormalType
    /// The 8-bit abfloat variant (only used when `normal == .int8`).
    public let abfloat8: Abfloat8Variant
    /// The outlier-outlier rule.
    public let pairRule: PairRule

    /// Creates a format.
    public init(normal: NormalType, abfloat8: Abfloat8Variant = .e2m5, pairRule: PairRule = .keepLarger) {
        self.normal = normal
        self.abfloat8 = abfloat8
        self.pairRule = pairRule
    }

    /// Bits per element (one pair per byte at 4 bits, two bytes per pair at 8).
    public var bits: Int { normal == .int8 ? 8 : 4 }

    /// The normal element type (fixed, valid types, hence `try!`).
    public var normalType: ElementType {
        switch normal {
        case .int4: try! ElementType(.int(.symmetric), bits: 4)
        case .flint4: try! ElementType(.flint, bits: 4, signed: true)
        case .int8: try! ElementType(.int(.symmetric), bits: 8)
        }
    }

    /// The outlier type: E2M1 beside 4-bit normals (bias 2 for int4, 3 for flint4), E4M3 or E2M5 at 8 bits.
    public var outlierType: AbfloatFormat {
        let maxNormal = normalType.grid.maxValue
        switch normal {
        case .int4, .flint4: return AbfloatFormat(exponentBits: 2, mantissaBits: 1, above: maxNormal)
        case .int8:
            return abfloat8 == .e4m3
                ? AbfloatFormat(exponentBits: 4, mantissaBits: 3, above: maxNormal)
                : AbfloatFormat(exponentBits: 2, mantissaBits: 5, above: maxNormal)
        }
    }

    /// `olive-int4`, `olive-flint4`, `olive-int8-e2m5`, `olive-int8-e4m3`.
    public var description: String {
        normal == .int8 ? "olive-int8-\(abfloat8.rawValue)" : "olive-\(normal.rawValue)"
    }

    /// Parses `description` plus a pair rule.
    public init(name: String, pairRule: PairRule) throws(FormatError) {
        switch name {
        case "olive-int4": self.init(normal: .int4, pairRule: pairRule)
        case "olive-flint4": self.init(normal: .flint4, pairRule: pairRule)
        case "olive-int8-e2m5": self.init(normal: .int8, abfloat8: .e2m5, pairRule: pairRule)
        case "olive-int8-e4m3": self.init(normal: .int8, abfloat8: .e4m3, pairRule: pairRule)
        default: throw .unknownFormat(name)
        }
    }
}
