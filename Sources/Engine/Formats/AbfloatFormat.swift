/// OliVe's adaptive-bias float for outliers (QUANT_SPEC §1.5): magnitude (2^M + m) << (e + bias), a sign bit,
/// and the code layout [s | e | m]. The smallest code (e = 0, m = 0) is excluded so that its negative, 10…0,
/// stays free as the outlier identifier.
public struct AbfloatFormat: Sendable, Hashable, CustomStringConvertible {
    /// Exponent bits E.
    public let exponentBits: Int
    /// Mantissa bits M.
    public let mantissaBits: Int
    /// Exponent bias.
    public let bias: Int

    /// Creates a format with an explicit bias.
    public init(exponentBits: Int, mantissaBits: Int, bias: Int) {
        precondition(exponentBits >= 1 && mantissaBits >= 0 && 1 + exponentBits + mantissaBits <= 8)
        self.exponentBits = exponentBits
        self.mantissaBits = mantissaBits
        self.bias = bias
    }

    /// The adaptive bias: the smallest bias whose smallest outlier, (2^M + 1) << bias, lies above the largest
    /// normal value. Gives 2 beside int4 (max 7) and 3 beside flint4 (max 16), as in §1.5.
    public init(exponentBits: Int, mantissaBits: Int, above maxNormal: Float) {
        var bias = 0
        while Float(((1 << mantissaBits) + 1) << bias) <= maxNormal { bias += 1 }
        self.init(exponentBits: exponentBits, mantissaBits: mantissaBits, bias: bias)
    }

    /// Total bits including the sign.
    public var bits: Int { 1 + exponentBits + mantissaBits }

    /// `E2M1b2` style name.
    public var description: String { "E\(exponentBits)M\(mantissaBits)b\(bias)" }

    /// Magnitude of the (e, m) field, or nil for the excluded smallest code.
    public func magnitude(fieldCode: Int) -> Float? {
        guard fieldCode != 0 else { return nil }
        let e = fieldCode >> mantissaBits
        let m = fieldCode & ((1 << mantissaBits) - 1)
        return Float((1 << mantissaBits) + m) * Float(sign: .plus, exponent: e + bias, significand: 1)
    }

    /// Signed value of a full code, or nil for ±(excluded code).
    public func value(code: Int) -> Float? {
        let signBit = 1 << (bits - 1)
        guard let m = magnitude(fieldCode: code & (signBit - 1)) else { return nil }
        return code & signBit != 0 ? -m : m
    }

    /// All representable magnitudes, ascending.
    public var magnitudes: [Float] {
        (1 ..< (1 << (exponentBits + mantissaBits))).compactMap { magnitude(fieldCode: $0) }.sorted()
    }
}
