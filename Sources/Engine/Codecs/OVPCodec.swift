/// Counts gathered while encoding with outlier-victim pairs.
public struct OVPStatistics: Sendable, Equatable {
    /// Elements whose nearest point in the union grid is an abfloat value (before pair resolution).
    public var outliers = 0
    /// Outliers actually stored (an outlier-outlier pair stores only one).
    public var storedOutliers = 0
    /// Elements set to zero to make room for an outlier (victims and pruned outliers).
    public var victims = 0

    /// Creates zero counts.
    public init() {}

    /// Adds another block's counts.
    public static func += (lhs: inout OVPStatistics, rhs: OVPStatistics) {
        lhs.outliers += rhs.outliers
        lhs.storedOutliers += rhs.storedOutliers
        lhs.victims += rhs.victims
    }
}

/// The OliVe outlier-victim pair codec (QUANT_SPEC §3.3–3.4). Elements are paired in memory order
/// (x₂ₖ, x₂ₖ₊₁). A 4-bit pair is one byte, left element in the high nibble; an 8-bit pair is two bytes, left first.
/// The identifier 10…0 marks the victim of an outlier; the outlier is stored as an abfloat code.
public struct OVPCodec: Sendable {
    /// The format being coded.
    public let format: OliveFormat
    /// The identifier code 10…0.
    public let identifier: UInt8
    /// Normal code → value (the identifier decodes to 0).
    public let normalDecode: [Float]
    /// Abfloat code → value (the identifier decodes to 0).
    public let outlierDecode: [Float]
    /// The union grid U = N ∪ O, ascending (native units of the normal type).
    public let unionValues: [Float]
    private let unionMidpoints: [Float]
    private let unionIsOutlier: [Bool]
    private let unionCode: [UInt8]
    private let unionTable: NearestIndexTable?

    /// Builds the tables for `format`.
    public init(format: OliveFormat) {
        self.format = format
        let bits = format.bits
        identifier = UInt8(1 << (bits - 1))
        let normalGrid = format.normalType.grid
        maxNormal = normalGrid.maxValue
        let abfloat = format.outlierType
        var normal = normalGrid.decodeTable
        normal[Int(identifier)] = 0
        normalDecode = normal
        outlierDecode = (0 ..< (1 << bits)).map { abfloat.value(code: $0) ?? 0 }
        var union: [(value: Float, isOutlier: Bool, code: UInt8)] = zip(normalGrid.values, normalGrid.codes).map { ($0, false, $1) }
        for code in 0 ..< (1 << bits) where code != Int(identifier) {
            if let v = abfloat.value(code: code) { union.append((v, true, UInt8(code))) }
        }
        union.sort { $0.value < $1.value }
        unionValues = union.map(\.value)
        unionIsOutlier = union.map(\.isOutlier)
        unionCode = union.map(\.code)
        unionMidpoints = zip(unionValues, unionValues.dropFirst()).map { ($0 + $1) / 2 }
        unionTable = NearestIndexTable(midpoints: unionMidpoints, lowest: unionValues[0], highest: unionValues[unionValues.count - 1])
    }

    /// Largest normal value: the clip value maps here (§3.2, α maps to the largest *normal* value).
    public let maxNormal: Float

    /// Bytes for `count` elements (an odd count is padded with a zero right element).
    public func encodedByteCount(elements count: Int) -> Int {
        let pairs = (count + 1) / 2
        return format.bits == 4 ? pairs : 2 * pairs
    }

    /// Nearest index in U, ties to the larger value (§0).
    @inline(__always)
    func unionIndex(_ x: Float) -> Int {
        if let unionTable { return unionTable.index(x) }
        return unionMidpoints.withUnsafeBufferPointer { m in
            var low = 0
            var high = m.count
            while low < high {
                let mid = (low + high) >> 1
                if m[mid] <= x { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// The two codes of one pair, already resolved by the pair rule, plus the pair's statistics.
    @inline(__always)
    func encodePair(_ left: Float, _ right: Float, inverseScale: Float, stats: inout OVPStatistics) -> (UInt8, UInt8) {
        encodePair(unionIndex(left * inverseScale), unionIndex(right * inverseScale), stats: &stats)
    }

    /// Pair resolution given the two union-grid indices.
    @inline(__always)
    func encodePair(_ l: Int, _ r: Int, stats: inout OVPStatistics) -> (UInt8, UInt8) {
        let lo = unionIsOutlier[l]
        let ro = unionIsOutlier[r]
        switch (lo, ro) {
        case (false, false):
            return (unionCode[l], unionCode[r])
        case (true, false):
            stats.outliers += 1; stats.storedOutliers += 1; stats.victims += 1
            return (unionCode[l], identifier)
        case (false, true):
            stats.outliers += 1; stats.storedOutliers += 1; stats.victims += 1
            return (identifier, unionCode[r])
        case (true, true):
            stats.outliers += 2; stats.storedOutliers += 1; stats.victims += 1
            let keepLeft = format.pairRule == .keepLeft || abs(unionValues[l]) >= abs(unionValues[r])
            return keepLeft ? (unionCode[l], identifier) : (identifier, unionCode[r])
        }
    }

    /// The two values of one encoded pair (§3.4), in native units.
    @inline(__always)
    public func decodePair(_ left: UInt8, _ right: UInt8) -> (Float, Float) {
        if right == identifier { return (outlierDecode[Int(left)], 0) }
        if left == identifier { return (0, outlierDecode[Int(right)]) }
        return (normalDecode[Int(left)], normalDecode[Int(right)])
    }

    /// Encodes `values` with scale `scale` into `output` (`encodedByteCount(elements:)` bytes).
    @discardableResult
    public func encode(_ values: UnsafeBufferPointer<Float>, scale: Float, into output: UnsafeMutableBufferPointer<UInt8>) -> OVPStatistics {
        precondition(output.count == encodedByteCount(elements: values.count), "OVP output size mismatch")
        precondition(scale > 0 && scale.isFinite, "OVP scale must be positive")
        var stats = OVPStatistics()
        let inverse = 1 / scale
        let pairs = (values.count + 1) / 2
        for p in 0 ..< pairs {
            let left = values[2 * p]
            let right = 2 * p + 1 < values.count ? values[2 * p + 1] : 0
            let (a, b) = encodePair(left, right, inverseScale: inverse, stats: &stats)
            if format.bits == 4 {
                output[p] = a << 4 | b
            } else {
                output[2 * p] = a
                output[2 * p + 1] = b
            }
        }
        return stats
    }

    /// Encodes an array (convenience for tests and small tensors).
    public func encode(_ values: [Float], scale: Float) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: encodedByteCount(elements: values.count))
        values.withUnsafeBufferPointer { v in out.withUnsafeMutableBufferPointer { _ = encode(v, scale: scale, into: $0) } }
        return out
    }

    /// Decodes `output.count` elements from `bytes`, multiplying by `scale`.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>, scale: Float, into output: UnsafeMutableBufferPointer<Float>) {
        precondition(bytes.count == encodedByteCount(elements: output.count), "OVP input size mismatch")
        let pairs = (output.count + 1) / 2
        for p in 0 ..< pairs {
            let (a, b) = format.bits == 4 ? (bytes[p] >> 4, bytes[p] & 0x0F) : (bytes[2 * p], bytes[2 * p + 1])
            let (l, r) = decodePair(a, b)
            output[2 * p] = l * scale
            if 2 * p + 1 < output.count { output[2 * p + 1] = r * scale }
        }
    }

    /// Decodes an array (convenience).
    public func decode(_ bytes: [UInt8], count: Int, scale: Float) -> [Float] {
        var out = [Float](repeating: 0, count: count)
        bytes.withUnsafeBufferPointer { b in out.withUnsafeMutableBufferPointer { decode(b, scale: scale, into: $0) } }
        return out
    }

    /// decode(encode(x)) computed directly, without the byte stream; returns the squared error sum as well.
    public func fakeQuantize(_ values: UnsafeBufferPointer<Float>, scale: Float,
                             into output: UnsafeMutableBufferPointer<Float>?) -> (squaredError: Double, stats: OVPStatistics) {
        if let unionTable, let output = output {
            return unionTable.withLookup { lookup in fakeQuantize(values, scale: scale, into: output) { lookup.index($0) } }
        }
        if let unionTable {
            return unionTable.withLookup { lookup in fakeQuantize(values, scale: scale, into: nil) { lookup.index($0) } }
        }
        return fakeQuantize(values, scale: scale, into: output) { unionIndex($0) }
    }

    /// `fakeQuantize` with the union-grid rounding passed in, so the clip sweep's hot loop uses the raw table.
    @inline(__always)
    private func fakeQuantize(_ values: UnsafeBufferPointer<Float>, scale: Float, into output: UnsafeMutableBufferPointer<Float>?,
                              index: (Float) -> Int) -> (squaredError: Double, stats: OVPStatistics) {
        var stats = OVPStatistics()
        var error: Double = 0
        let inverse = 1 / scale
        let pairs = (values.count + 1) / 2
        for p in 0 ..< pairs {
            let hasRight = 2 * p + 1 < values.count
            let left = values[2 * p]
            let right = hasRight ? values[2 * p + 1] : 0
            let (a, b) = encodePair(index(left * inverse), index(right * inverse), stats: &stats)
            let (l, r) = decodePair(a, b)
            let ql = l * scale
            let qr = r * scale
            error += Double((ql - left) * (ql - left))
            if hasRight { error += Double((qr - right) * (qr - right)) }
            if let output {
                output[2 * p] = ql
                if hasRight { output[2 * p + 1] = qr }
            }
        }
        return (error, stats)
    }
}
