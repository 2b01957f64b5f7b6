/// How an int format maps codes to integers (QUANT_SPEC §1.1).
public enum IntEncoding: String, Sendable, Hashable, CaseIterable {
    /// Two's complement, −2^(b−1) … 2^(b−1) − 1 (ANT signed int).
    case twosComplement
    /// −(2^(b−1) − 1) … 2^(b−1) − 1; the code 10…0 is unused (HAQ/SmoothQuant, OliVe normals).
    case symmetric
    /// 0 … 2^b − 1.
    case unsigned
    /// 0 … 2^b − 1 with a per-block integer zero-point z: x ≈ s·(q − z) (GPTQ/AWQ).
    case asymmetric
}

/// The family of a scalar element type (QUANT_SPEC §1).
public enum ElementKind: Sendable, Hashable {
    /// Uniform integers.
    case int(IntEncoding)
    /// Power of two, sign-magnitude when signed (§1.2).
    case pot
    /// ANT flint, sign-magnitude when signed (§1.4).
    case flint
    /// Float with `exponentBits` exponent bits, the rest mantissa, no inf/NaN (§1.3).
    case float(exponentBits: Int)
}

/// A concrete b-bit element type: family, width and signedness. Its value grid is `grid`.
public struct ElementType: Sendable, Hashable, CustomStringConvertible {
    /// The family.
    public let kind: ElementKind
    /// Bits per code.
    public let bits: Int
    /// Whether negative values are representable.
    public let isSigned: Bool

    /// Bit-widths the engine supports for every family.
    public static let supportedBits: Set<Int> = [2, 3, 4, 5, 6, 8]

    /// Validates and creates a type. Int signedness comes from the encoding; `signed` applies to the others.
    public init(_ kind: ElementKind, bits: Int, signed: Bool = true) throws(FormatError) {
        self.kind = kind
        self.bits = bits
        switch kind {
        case .int(let encoding): isSigned = encoding == .twosComplement || encoding == .symmetric
        default: isSigned = signed
        }
        let name = ElementType.name(kind: kind, bits: bits, signed: isSigned)
        guard (2...8).contains(bits) else { throw .unsupportedBits(format: name, bits: bits) }
        if case .float(let e) = kind {
            let magnitudeBits = isSigned ? bits - 1 : bits
            guard e >= 1, e <= magnitudeBits else { throw .unsupportedBits(format: name, bits: bits) }
        }
        if grid.values.contains(where: { !$0.isFinite }) { throw .unrepresentable(name) }
    }

    /// The ANT "float" type at this width: E = 3 where it fits (§1.3; B = 2 forces E2M0).
    public static func antFloat(bits: Int, signed: Bool) throws(FormatError) -> ElementType {
        let magnitudeBits = signed ? bits - 1 : bits
        return try ElementType(.float(exponentBits: min(3, max(1, magnitudeBits))), bits: bits, signed: signed)
    }

    /// Canonical name: `int4`, `int4-sym`, `uint4`, `int4-asym`, `pot4`/`upot4`, `flint4`/`uflint4`, `e2m1`/`ue3m1`.
    public var description: String { ElementType.name(kind: kind, bits: bits, signed: isSigned) }

    private static func name(kind: ElementKind, bits: Int, signed: Bool) -> String {
        let u = signed ? "" : "u"
        switch kind {
        case .int(.twosComplement): return "int\(bits)"
        case .int(.symmetric): return "int\(bits)-sym"
        case .int(.unsigned): return "uint\(bits)"
        case .int(.asymmetric): return "int\(bits)-asym"
        case .pot: return "\(u)pot\(bits)"
        case .flint: return "\(u)flint\(bits)"
        case .float(let e): return "\(u)e\(e)m\(bits - (signed ? 1 : 0) - e)"
        }
    }

    /// Parses a canonical name (the inverse of `description`).
    public init(name: String) throws(FormatError) {
        func number(_ s: Substring) throws(FormatError) -> Int {
            guard let n = Int(s) else { throw .unknownFormat(name) }
            return n
        }
        var rest = Substring(name)
        if rest.hasPrefix("int") {
            rest = rest.dropFirst(3)
            if rest.hasSuffix("-sym") { try self.init(.int(.symmetric), bits: try number(rest.dropLast(4))); return }
            if rest.hasSuffix("-asym") { try self.init(.int(.asymmetric), bits: try number(rest.dropLast(5))); return }
            try self.init(.int(.twosComplement), bits: try number(rest)); return
        }
        if rest.hasPrefix("uint") { try self.init(.int(.unsigned), bits: try number(rest.dropFirst(4))); return }
        let signed = !rest.hasPrefix("u")
        if !signed { rest = rest.dropFirst() }
        if rest.hasPrefix("pot") { try self.init(.pot, bits: try number(rest.dropFirst(3)), signed: signed); return }
        if rest.hasPrefix("flint") { try self.init(.flint, bits: try number(rest.dropFirst(5)), signed: signed); return }
        if rest.hasPrefix("e"), let m = rest.firstIndex(of: "m") {
            let e = try number(rest[rest.index(after: rest.startIndex) ..< m])
            let mantissa = try number(rest[rest.index(after: m)...])
            try self.init(.float(exponentBits: e), bits: e + mantissa + (signed ? 1 : 0), signed: signed)
            return
        }
        throw .unknownFormat(name)
    }

    /// The value grid with its code assignment. Built on each access (at most 256 values): hold on to it
    /// outside hot loops.
    public var grid: QuantGrid { QuantGrid(decodeTable: decodeTable()) }
}
