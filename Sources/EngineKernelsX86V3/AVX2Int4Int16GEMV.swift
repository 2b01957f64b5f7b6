#if arch(x86_64)
import CPrefetch

/// Int4 GEMV against activations already quantized to Int16 codes (one Float32 scale per block of 64 or 128
/// elements), for CPUs with AVX2 (see `AVX2Int4GEMV` for how it is selected).
///
/// The products are integer: each 32-byte load holds 64 weights as 16 little-endian 16-bit words; three masks and
/// a shift put nibble p of every word into its own Int16 lane vector, and `vpmaddwd` multiplies 16 nibbles by
/// 16 activation codes and adds neighbouring pairs into Int32 (`ChunkSums`). That is about 13 vector µops per 64
/// weights and row, against about 40 for the Float32-activation kernel. The Int32 sums are exact (|u| ≤ 15,
/// |q| ≤ 32 767, at most 16 products per lane and block of 128: < 2^23, so the conversion to Float32 is exact too);
/// each block's sum is scaled by its activation scale with one FMA.
public enum AVX2Int4Int16GEMV {
    /// Reorders `count` (a multiple of 64) activation codes: within each 64-element chunk, position 16p + k holds
    /// element 4k + p, matching nibble p of word k of a 32-byte load.
    public static func permute(_ q: UnsafePointer<Int16>, into permuted: UnsafeMutablePointer<Int16>, count: Int) {
        var chunk = 0
        while chunk < count {
            for p in 0 ..< 4 {
                for k in 0 ..< 16 { permuted[chunk &+ 16 &* p &+ k] = q[chunk &+ 4 &* k &+ p] }
            }
            chunk &+= 64
        }
    }

    /// How far ahead of the block being summed the codes are prefetched, in bytes.
    static let prefetchDistance = 2048

    /// y[r] for r in `rows`. `flip` (0 or 0x8888) is XOR-ed into every 16-bit word of codes first;
    /// `activationBlockLength` must be 64 or 128 and divide `segmentLength` (the lane sums are sized for 128).
    public static func run(_ a: PackedGEMVArguments, rows: Range<Int>, flip: UInt16) {
        precondition((a.activationBlockLength == 64 || a.activationBlockLength == 128)
                     && a.segmentLength % a.activationBlockLength == 0 && a.activationScales != nil,
                     "AVX2Int4Int16GEMV: activation blocks must be 64 or 128 elements and divide the scale segment")
        for r in rows { a.output[r] = row(a, r, flip: flip) }
    }

    /// y[r]. One row at a time, so each thread reads its rows as one sequential stream, which the hardware
    /// prefetchers follow best (pairs of rows, sharing the activation loads, measured 25–35 % slower both from
    /// DRAM and from L3 on Zen 3).
    @inline(never)
    static func row(_ a: PackedGEMVArguments, _ r: Int, flip: UInt16) -> Float {
        a.integerActivationRow(r, BlockSum(codes: UnsafeRawPointer(a.codes + r &* a.bytesPerRow), x: a.x,
                                           flipWords: SIMD16<UInt16>(repeating: flip), blockBytes: a.activationBlockLength / 2))
    }

    /// One block of one row: 32-byte loads of codes through `ChunkSums`.
    struct BlockSum: IntegerBlockSum {
        let codes: UnsafeRawPointer
        let x: UnsafeRawPointer
        let flipWords: SIMD16<UInt16>
        let blockBytes: Int

        @inline(__always)
        func sum(from start: Int) -> SIMD8<Int32> {
            var sums = ChunkSums()
            // Two bytes of codes hold four elements, so byte offset i is element 2i and Int16 byte offset 4i.
            var i = start &>> 1
            // The hardware prefetchers alone keep two cores' streams at about half of DRAM bandwidth; asking for
            // the line `prefetchDistance` bytes ahead (past the row's end it is the next row's) closes most of that.
            cprefetch_read(codes + (i &+ AVX2Int4Int16GEMV.prefetchDistance))
            if blockBytes == 64 {
                // Blocks of 128 (the usual case): two loads, straight-line, no loop control per block.
                add(&sums, at: i)
                add(&sums, at: i &+ 32)
                return sums.total
            }
            let end = i &+ blockBytes
            while i < end {
                add(&sums, at: i)
                i &+= 32
            }
            return sums.total
        }

        @inline(__always)
        private func add(_ sums: inout ChunkSums, at i: Int) {
            sums.add(codes.loadUnaligned(fromByteOffset: i, as: SIMD16<UInt16>.self) ^ flipWords,
                     x.loadUnaligned(fromByteOffset: i &* 4, as: SIMD16<Int16>.self),
                     x.loadUnaligned(fromByteOffset: i &* 4 &+ 32, as: SIMD16<Int16>.self),
                     x.loadUnaligned(fromByteOffset: i &* 4 &+ 64, as: SIMD16<Int16>.self),
                     x.loadUnaligned(fromByteOffset: i &* 4 &+ 96, as: SIMD16<Int16>.self))
        }
    }

    /// The Int32 lane sums of one row over one activation block.
    ///
    /// Nibbles 1 and 2 are masked in place, not shifted down: 16·n₁ and 256·n₂ go through `vpmaddwd` as they are
    /// and their sums are shifted right by 4 and 8 once per block, which is exact because every term is a multiple
    /// of 16 (256). That saves two shifts per 32-byte load; the largest lane sum, 4 products of 256·15·32 767 for
    /// a block of 128 elements, stays below 2^31.
    struct ChunkSums {
        private var plain = SIMD8<Int32>(), times16 = SIMD8<Int32>(), times256 = SIMD8<Int32>()

        /// Adds the 64 weights of one 32-byte load (16 words, nibble p of word k = element 4k + p) against x_p.
        @inline(__always)
        mutating func add(_ words: SIMD16<UInt16>, _ x0: SIMD16<Int16>, _ x1: SIMD16<Int16>,
                          _ x2: SIMD16<Int16>, _ x3: SIMD16<Int16>) {
            let n0 = unsafeBitCast(words & SIMD16<UInt16>(repeating: 0x000F), to: SIMD16<Int16>.self)
            let n1 = unsafeBitCast(words & SIMD16<UInt16>(repeating: 0x00F0), to: SIMD16<Int16>.self)
            let n2 = unsafeBitCast(words & SIMD16<UInt16>(repeating: 0x0F00), to: SIMD16<Int16>.self)
            let n3 = unsafeBitCast(words &>> 12, to: SIMD16<Int16>.self)
            plain &+= AVX2Lanes.multiplyAddPairs(n0, x0) &+ AVX2Lanes.multiplyAddPairs(n3, x3)
            times16 &+= AVX2Lanes.multiplyAddPairs(n1, x1)
            times256 &+= AVX2Lanes.multiplyAddPairs(n2, x2)
        }

        /// Σ u·q per lane.
        @inline(__always)
        var total: SIMD8<Int32> { plain &+ (times16 &>> 4) &+ (times256 &>> 8) }
    }
}
#endif
