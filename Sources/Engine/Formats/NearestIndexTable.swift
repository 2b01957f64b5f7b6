/// O(1) nearest-grid-point lookup. When every midpoint between neighbouring grid values is a multiple of a
/// power of two r (true for every int, PoT, flint and small float grid), the number of midpoints ≤ x depends only
/// on ⌊x / r⌋, so a table indexed by ⌊x / r⌋ replaces the binary search. Dividing by a power of two is exact, so
/// the result, ties included, is identical to the search (QUANT_SPEC §0: ties go to the larger value).
struct NearestIndexTable: Sendable, Equatable {
    /// Reciprocal of the resolution r.
    let inverseResolution: Float
    /// ⌊lowest / r⌋ and ⌊highest / r⌋: inputs are clamped to [lowest, highest] first.
    let firstCell: Int
    let lowest: Float
    let highest: Float
    /// indices[k] = number of midpoints ≤ (k + firstCell)·r.
    let indices: [UInt16]

    /// Largest table accepted.
    static let maximumEntries = 1 << 16

    /// Builds the table for `midpoints` between grid values spanning [lowest, highest]; nil when no power-of-two
    /// resolution fits in `maximumEntries`.
    init?(midpoints: [Float], lowest: Float, highest: Float) {
        guard !midpoints.isEmpty else { return nil }
        var resolution: Float = 1024
        while resolution >= 0x1p-12 {
            if midpoints.allSatisfy({ ($0 / resolution).rounded(.down) == $0 / resolution }) { break }
            resolution /= 2
        }
        guard resolution >= 0x1p-12,
              max(abs(lowest), abs(highest)) / resolution < Float(NearestIndexTable.maximumEntries) else { return nil }
        let first = Int((lowest / resolution).rounded(.down))
        let last = Int((highest / resolution).rounded(.down))
        guard last - first + 1 <= NearestIndexTable.maximumEntries else { return nil }
        inverseResolution = 1 / resolution
        firstCell = first
        self.lowest = lowest
        self.highest = highest
        var table = [UInt16](repeating: 0, count: last - first + 1)
        var count = 0
        for k in 0 ..< table.count {
            let cellStart = Float(k + first) * resolution
            while count < midpoints.count && midpoints[count] <= cellStart { count += 1 }
            table[k] = UInt16(count)
        }
        indices = table
    }

    /// Index of the nearest grid value; NaN maps to the lowest value.
    @inline(__always)
    func index(_ x: Float) -> Int {
        let clamped = x >= lowest ? (x <= highest ? x : highest) : lowest
        let cell = Int((clamped * inverseResolution).rounded(.down)) &- firstCell
        return indices.withUnsafeBufferPointer { Int($0[cell]) }
    }

    /// A borrowed, reference-free view of the table for hot loops (no retain/release per element).
    struct Lookup {
        let inverseResolution: Float
        let firstCell: Int
        let lowest: Float
        let highest: Float
        let indices: UnsafePointer<UInt16>

        /// Same as `NearestIndexTable.index`.
        @inline(__always)
        func index(_ x: Float) -> Int {
            let clamped = x >= lowest ? (x <= highest ? x : highest) : lowest
            return Int(indices[Int((clamped * inverseResolution).rounded(.down)) &- firstCell])
        }
    }

    /// Calls `body` with a `Lookup` valid for the duration of the call.
    @inline(__always)
    func withLookup<R>(_ body: (Lookup) throws -> R) rethrows -> R {
        try indices.withUnsafeBufferPointer { buffer in
            try body(Lookup(inverseResolution: inverseResolution, firstCell: firstCell, lowest: lowest, highest: highest,
                            indices: buffer.baseAddress!))
        }
    }
}
