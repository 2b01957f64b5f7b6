#if arch(x86_64)
/// Int4 GEMV for CPUs with AVX2 and FMA (this module is compiled with `-target-cpu haswell`; the Engine calls it
/// only after checking the CPU flags).
///
/// Each 8-byte load holds 16 weights; `vpmovzxbd` widens the bytes to 8 Int32 lanes, a mask and a shift split the
/// low nibble (element 2j) from the high one (element 2j + 1), `vcvtdq2ps` makes them floats and two FMAs add
/// them into per-row accumulators against x permuted so that each 8-lane load of x matches. Two rows share every
/// load of x. The arithmetic is the exact Float32-activation product: every nibble is converted exactly and the
/// only roundings are the FMAs, the horizontal sums and the per-segment scaling.
public enum AVX2Int4GEMV {
    /// Reorders `count` (a multiple of 16) activations: within each 16-element chunk the 8 even elements come
    /// first, then the 8 odd ones, matching the low and high nibbles of 8 consecutive bytes.
    public static func permute(_ x: UnsafePointer<Float>, into permuted: UnsafeMutablePointer<Float>, count: Int) {
        var chunk = 0
        while chunk < count {
            for j in 0 ..< 8 {
                permuted[chunk &+ j] = x[chunk &+ 2 &* j]
                permuted[chunk &+ 8 &+ j] = x[chunk &+ 2 &* j &+ 1]
            }
            chunk &+= 16
        }
    }

    /// y[r] for r in `rows`. `flip` (0 or 0x88) is XOR-ed into every code byte first; `segmentLength` must be a
    /// multiple of 16.
    public static func run(_ a: PackedGEMVArguments, rows: Range<Int>, flip: UInt8) {
        a.forEachRowPair(rows) { r0, r1 in rowPair(a, r0, r1, flip: flip) }
    }

    /// y[r0] and y[r1]. Each segment's Σu·x stays in vector registers and is scaled into a vector total with one
    /// FMA, so a row costs one horizontal sum whatever its number of scale groups; Σ s·c·S_g is summed apart.
    @inline(never)
    static func rowPair(_ a: PackedGEMVArguments, _ r0: Int, _ r1: Int, flip: UInt8) -> (Float, Float) {
        let segmentBytes = a.segmentLength / 2
        let mask = SIMD8<Int32>(repeating: 0x0F)
        let flipBytes = SIMD8<UInt8>(repeating: flip)
        let p0 = UnsafeRawPointer(a.codes + r0 &* a.bytesPerRow), p1 = UnsafeRawPointer(a.codes + r1 &* a.bytesPerRow)
        let xr = a.x
        var totals = RowPairTotals()
        var i = 0
        for g in 0 ..< a.segmentsPerRow {
            var low0 = SIMD8<Float>(), high0 = SIMD8<Float>(), low1 = SIMD8<Float>(), high1 = SIMD8<Float>()
            let end = i &+ segmentBytes
            while i < end {
                let w0 = AVX2Lanes.widen(p0.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self) ^ flipBytes)
                let w1 = AVX2Lanes.widen(p1.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self) ^ flipBytes)
                let xLow = xr.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Float>.self)
                let xHigh = xr.loadUnaligned(fromByteOffset: i &* 8 &+ 32, as: SIMD8<Float>.self)
                low0 = low0.addingProduct(AVX2Lanes.float(w0 & mask), xLow)
                high0 = high0.addingProduct(AVX2Lanes.float(w0 &>> 4), xHigh)
                low1 = low1.addingProduct(AVX2Lanes.float(w1 & mask), xLow)
                high1 = high1.addingProduct(AVX2Lanes.float(w1 &>> 4), xHigh)
                i &+= 8
            }
            totals.add(a, rows: r0, r1, segment: g, low0 + high0, low1 + high1)
        }
        return totals.outputs
    }
}
#endif
