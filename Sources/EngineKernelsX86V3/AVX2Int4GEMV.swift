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
        let segmentBytes = a.segmentLength / 2
        var r = rows.lowerBound
        while r < rows.upperBound {
            // An odd last row is computed twice (as both rows of the pair) and stored once.
            let r1 = Swift.min(r &+ 1, rows.upperBound &- 1)
            let c0 = a.codes + r &* a.bytesPerRow
            let c1 = a.codes + r1 &* a.bytesPerRow
            var total0: Float = 0
            var total1: Float = 0
            for g in 0 ..< a.segmentsPerRow {
                let (d0, d1) = segmentDot(c0 + g &* segmentBytes, c1 + g &* segmentBytes,
                                          a.x + g &* a.segmentLength, bytes: segmentBytes, flip: flip)
                total0 += a.scaled(row: r, segment: g, dot: d0)
                total1 += a.scaled(row: r1, segment: g, dot: d1)
            }
            a.output[r] = total0
            a.output[r1] = total1
            r &+= 2
        }
    }

    /// (Σ u₀·x, Σ u₁·x) over `bytes` (a multiple of 8) code bytes of two rows.
    @inline(never)
    static func segmentDot(_ c0: UnsafePointer<UInt8>, _ c1: UnsafePointer<UInt8>, _ x: UnsafePointer<Float>,
                           bytes: Int, flip: UInt8) -> (Float, Float) {
        var low0 = SIMD8<Float>(), high0 = SIMD8<Float>(), low1 = SIMD8<Float>(), high1 = SIMD8<Float>()
        let mask = SIMD8<Int32>(repeating: 0x0F)
        let flipBytes = SIMD8<UInt8>(repeating: flip)
        let p0 = UnsafeRawPointer(c0), p1 = UnsafeRawPointer(c1), xr = UnsafeRawPointer(x)
        var i = 0
        while i < bytes {
            let w0 = SIMD8<Int32>(truncatingIfNeeded: p0.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self) ^ flipBytes)
            let w1 = SIMD8<Int32>(truncatingIfNeeded: p1.loadUnaligned(fromByteOffset: i, as: SIMD8<UInt8>.self) ^ flipBytes)
            let xLow = xr.loadUnaligned(fromByteOffset: i &* 8, as: SIMD8<Float>.self)
            let xHigh = xr.loadUnaligned(fromByteOffset: i &* 8 &+ 32, as: SIMD8<Float>.self)
            low0 = low0.addingProduct(SIMD8<Float>(w0 & mask), xLow)
            high0 = high0.addingProduct(SIMD8<Float>(w0 &>> 4), xHigh)
            low1 = low1.addingProduct(SIMD8<Float>(w1 & mask), xLow)
            high1 = high1.addingProduct(SIMD8<Float>(w1 &>> 4), xHigh)
            i &+= 8
        }
        return (AVX2Sum.horizontal(low0 + high0), AVX2Sum.horizontal(low1 + high1))
    }
}
#endif
