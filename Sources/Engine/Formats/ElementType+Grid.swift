extension ElementType {
    /// The value of every code, index = code (QUANT_SPEC §1 value sets and code assignments).
    public func decodeTable() -> [Float] {
        let count = 1 << bits
        let signBit = 1 << (bits - 1)
        switch kind {
        case .int(.twosComplement), .int(.symmetric):
            // Two's complement codes. The symmetric variant never writes 10…0 (OliVe's outlier identifier);
            // it decodes to 0 so the table stays total and zero keeps the canonical code 0…0.
            return (0..<count).map { code in
                if kind == .int(.symmetric) && code == signBit { return 0 }
                return Float(code >= signBit ? code - count : code)
            }
        case .int(.unsigned), .int(.asymmetric):
            return (0..<count).map { Float($0) }
        case .pot:
            return signMagnitude(count: count, signBit: signBit) { ElementType.potMagnitude(code: $0) }
        case .flint:
            let magnitudeBits = isSigned ? bits - 1 : bits
            return signMagnitude(count: count, signBit: signBit) { ElementType.flintMagnitude(code: $0, bits: magnitudeBits) }
        case .float(let e):
            let mantissaBits = (isSigned ? bits - 1 : bits) - e
            return signMagnitude(count: count, signBit: signBit) {
                ElementType.floatMagnitude(code: $0, exponentBits: e, mantissaBits: mantissaBits)
            }
        }
    }

    /// Applies the sign bit to a magnitude decoder when the type is signed.
    private func signMagnitude(count: Int, signBit: Int, magnitude: (Int) -> Float) -> [Float] {
        (0..<count).map { code in
            guard isSigned else { return magnitude(code) }
            let m = magnitude(code & (signBit - 1))
            return code & signBit != 0 ? (m == 0 ? 0 : -m) : m
        }
    }

    /// PoT magnitude code k: 0 → 0, k ≥ 1 → 2^(k−1) (QUANT_SPEC §1.2, our code assignment [D]).
    static func potMagnitude(code k: Int) -> Float {
        k == 0 ? 0 : Float(sign: .plus, exponent: k - 1, significand: 1)
    }

    /// Unsigned n-bit flint (QUANT_SPEC §1.4): msb 0 → the integer r; msb 1, r = 0 → 2^(2n−2); otherwise with z
    /// leading zeros in r and k = n − 2 − z mantissa bits after the first one, 2^(n−1+z)·(1 + m/2^k).
    static func flintMagnitude(code: Int, bits n: Int) -> Float {
        let msb = 1 << (n - 1)
        let r = code & (msb - 1)
        if code & msb == 0 { return Float(r) }
        if r == 0 { return Float(sign: .plus, exponent: 2 * n - 2, significand: 1) }
        var z = 0
        while r & (1 << (n - 2 - z)) == 0 { z += 1 }
        let k = n - 2 - z
        let m = r & ((1 << k) - 1)
        return Float(sign: .plus, exponent: n - 1 + z, significand: 1 + Float(m) / Float(1 << k))
    }

    /// Float magnitude (QUANT_SPEC §1.3): e = 0 is subnormal m/2^M, else 2^(e−1)·(1 + m/2^M); no inf/NaN.
    static func floatMagnitude(code: Int, exponentBits: Int, mantissaBits: Int) -> Float {
        let e = code >> mantissaBits
        let m = Float(code & ((1 << mantissaBits) - 1)) / Float(1 << mantissaBits)
        if e == 0 { return m }
        // Build 2^(e−1) by scaling so very wide exponents overflow to +inf (reported as unrepresentable).
        let power: Float = e - 1 > 127 ? .infinity : Float(sign: .plus, exponent: e - 1, significand: 1)
        return power * (1 + m)
    }
}
