/// The sorted set of values a type represents, in native units (QUANT_SPEC §0 "Grid"), with the code that
/// stores each value and the reverse table from every code to its value.
public struct QuantGrid: Sendable, Equatable {
    /// Distinct representable values, ascending.
    public let values: [Float]
    /// Canonical code of `values[i]`: the smallest code decoding to it (so zero is stored as 0…0, never −0).
    public let codes: [UInt8]
    /// Value of every code (index = code); its count is 2^bits.
    public let decodeTable: [Float]
    /// Midpoints between neighbours; rounding counts how many are ≤ x.
    public let midpoints: [Float]
    /// Constant-time replacement for the binary search, when the grid allows one.
    let table: NearestIndexTable?

    /// Builds the grid from the code → value table.
    public init(decodeTable: [Float]) {
        precondition(!decodeTable.isEmpty && decodeTable.count <= 256, "decode table must have 1…256 entries")
        self.decodeTable = decodeTable
        var canonical: [Float: UInt8] = [:]
        for (code, value) in decodeTable.enumerated() where canonical[value] == nil {
            canonical[value] = UInt8(code)
        }
        values = canonical.keys.sorted()
        codes = values.map { canonical[$0]! }
        midpoints = zip(values, values.dropFirst()).map { ($0 + $1) / 2 }
        table = NearestIndexTable(midpoints: midpoints, lowest: values[0], highest: values[values.count - 1])
    }

    /// Largest value: the clip value α maps here, s = α / max(G) (QUANT_SPEC §0).
    public var maxValue: Float { values[values.count - 1] }
    /// Smallest value.
    public var minValue: Float { values[0] }
    /// Largest magnitude.
    public var maxMagnitude: Float { max(abs(values[0]), abs(values[values.count - 1])) }

    /// Index into `values` of the nearest grid point; on a tie the larger value wins (QUANT_SPEC §0, the
    /// reference kernel scans the ascending grid with `<=`). Exact because midpoints of these grids are exact.
    @inline(__always)
    public func nearestIndex(_ x: Float) -> Int {
        if let table { return table.index(x) }
        return searchIndex(x)
    }

    /// The binary search over midpoints (reference for the table path).
    func searchIndex(_ x: Float) -> Int {
        midpoints.withUnsafeBufferPointer { m in
            var low = 0
            var high = m.count
            while low < high {
                let mid = (low + high) >> 1
                if m[mid] <= x { low = mid + 1 } else { high = mid }
            }
            return low
        }
    }

    /// The nearest grid value (ties to the larger).
    @inline(__always)
    public func round(_ x: Float) -> Float { values[nearestIndex(x)] }
}
