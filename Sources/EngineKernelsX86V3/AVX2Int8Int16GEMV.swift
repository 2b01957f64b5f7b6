#if arch(x86_64)
import CPrefetch

/// Int8 GEMV against activations already quantized to Int16 codes (one Float32 scale per block), for CPUs with
/// AVX2 (see `AVX2Int4GEMV` for how it is selected).
///
/// Each 16-byte load of codes is widened to 16 Int16 lanes (`vpmovsxbw` for signed codes, `vpmovzxbw` for unsigned
/// and asymmetric ones) and `vpmaddwd` multiplies them by 16 activation codes, adding neighbouring pairs into
/// Int32. The Int32 sums are exact (|u| ≤ 255, |q| ≤ 32 767, blockLength/8 ≤ 16 products per lane, < 2^28); the
/// conversion of a block's sum to Float32 rounds only once it passes 2^24.
public enum AVX2Int8Int16GEMV {
    /// y[r] for r in `rows`; `activationBlockLength` must be 32, 64 or 128 and divide `segmentLength` (the lane sums
    /// are sized for 128).
    public static func run(_ a: PackedGEMVArguments, rows: Range<Int>, signed: Bool) {
        precondition(a.activationBlockLength > 0 && a.activationBlockLength % 32 == 0 && a.activationBlockLength <= 128
                     && a.segmentLength % a.activationBlockLength == 0 && a.activationScales != nil,
                     "AVX2Int8Int16GEMV: activation blocks must be 32, 64 or 128 elements and divide the scale segment")
        for r in rows { a.output[r] = signed ? row(a, r, code: Int8.self) : row(a, r, code: UInt8.self) }
    }

    /// y[r], one row at a time (see `AVX2Int4Int16GEMV.row`).
    @inline(never)
    static func row<Code: AVX2Int16WidenableCode>(_ a: PackedGEMVArguments, _ r: Int, code: Code.Type) -> Float {
        a.integerActivationRow(r, BlockSum<Code>(codes: UnsafeRawPointer(a.codes + r &* a.bytesPerRow), x: a.x,
                                                 blockLength: a.activationBlockLength))
    }

    /// One block of one row: 16 codes per `vpmaddwd`.
    struct BlockSum<Code: AVX2Int16WidenableCode>: IntegerBlockSum {
        let codes: UnsafeRawPointer
        let x: UnsafeRawPointer
        let blockLength: Int

        @inline(__always)
        func sum(from start: Int) -> SIMD8<Int32> {
            // Two sums so consecutive `vpmaddwd` results do not wait on one add chain.
            var sum0 = SIMD8<Int32>(), sum1 = SIMD8<Int32>()
            // One byte per code: the block's cache lines, `prefetchDistance` bytes ahead (see AVX2Int4Int16GEMV).
            var line = start
            while line < start &+ blockLength {
                cprefetch_read(codes + (line &+ AVX2Int4Int16GEMV.prefetchDistance))
                line &+= 64
            }
            var i = start
            while i < start &+ blockLength {
                sum0 &+= AVX2Lanes.multiplyAddPairs(Code.int16Lanes(codes, i), x.loadUnaligned(fromByteOffset: i &* 2, as: SIMD16<Int16>.self))
                sum1 &+= AVX2Lanes.multiplyAddPairs(Code.int16Lanes(codes, i &+ 16), x.loadUnaligned(fromByteOffset: i &* 2 &+ 32, as: SIMD16<Int16>.self))
                i &+= 32
            }
            return sum0 &+ sum1
        }
    }
}
#endif
