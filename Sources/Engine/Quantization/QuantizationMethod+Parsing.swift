extension QuantizationMethod {
    /// Parses a command-line format name: `int`, `int-sym`, `int-asym`, `pot`, `flint`, `float-eXmY`, `ant`, `olive`.
    /// For `float-eXmY` the total 1 + X + Y must equal `bits` (the signed layout; non-negative tensors use the
    /// unsigned type with X exponent bits and `bits − X` mantissa bits).
    public init(formatName: String, bits: Int, antSet: AntCandidateSet = .fipf,
                abfloat8: OliveFormat.Abfloat8Variant = .e2m5, pairRule: OliveFormat.PairRule = .keepLarger) throws(FormatError) {
        switch formatName {
        case "int": self = .fixed(.int)
        case "int-sym": self = .fixed(.intSymmetric)
        case "int-asym": self = .fixed(.intAsymmetric)
        case "pot": self = .fixed(.pot)
        case "flint": self = .fixed(.flint)
        case "ant": self = .ant(antSet)
        case "olive":
            guard bits == 4 || bits == 8 else { throw .unsupportedBits(format: "olive", bits: bits) }
            self = .olive(abfloat8: abfloat8, pairRule: pairRule)
        default:
            guard formatName.hasPrefix("float-e"), let m = formatName.firstIndex(of: "m"),
                  let e = Int(formatName[formatName.index(formatName.startIndex, offsetBy: 7) ..< m]),
                  let mantissa = Int(formatName[formatName.index(after: m)...]) else {
                throw .unknownFormat(formatName)
            }
            guard e >= 1, mantissa >= 0, 1 + e + mantissa == bits else { throw .unsupportedBits(format: formatName, bits: bits) }
            self = .fixed(.float(exponentBits: e))
        }
        guard ElementType.supportedBits.contains(bits) else { throw .unsupportedBits(format: formatName, bits: bits) }
    }
}
