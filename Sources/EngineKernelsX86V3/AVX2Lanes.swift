#if arch(x86_64)
/// Lane conversions and sums written lane by lane, so they always inline and LLVM folds them into single vector
/// instructions (`vpmovzxbd`, `vpmovsxbd`, `vpmovsxbw`, `vpmovzxbw`, `vcvtdq2ps`, `vpmaddwd`). The standard library's generic
/// `SIMD8(truncatingIfNeeded:)` is specialised out of line, and with SwiftPM's multi-threaded optimisation the
/// out-of-line copy can land in another LLVM module, where it stays a call per load.
enum AVX2Lanes {
    @inline(__always)
    static func widen(_ b: SIMD8<UInt8>) -> SIMD8<Int32> {
        SIMD8(Int32(b[0]), Int32(b[1]), Int32(b[2]), Int32(b[3]), Int32(b[4]), Int32(b[5]), Int32(b[6]), Int32(b[7]))
    }

    @inline(__always)
    static func widen(_ b: SIMD8<Int8>) -> SIMD8<Int32> {
        SIMD8(Int32(b[0]), Int32(b[1]), Int32(b[2]), Int32(b[3]), Int32(b[4]), Int32(b[5]), Int32(b[6]), Int32(b[7]))
    }

    @inline(__always)
    static func widen(_ b: SIMD16<Int8>) -> SIMD16<Int16> {
        SIMD16(Int16(b[0]), Int16(b[1]), Int16(b[2]), Int16(b[3]), Int16(b[4]), Int16(b[5]), Int16(b[6]), Int16(b[7]),
               Int16(b[8]), Int16(b[9]), Int16(b[10]), Int16(b[11]), Int16(b[12]), Int16(b[13]), Int16(b[14]), Int16(b[15]))
    }

    @inline(__always)
    static func widen(_ b: SIMD16<UInt8>) -> SIMD16<Int16> {
        SIMD16(Int16(b[0]), Int16(b[1]), Int16(b[2]), Int16(b[3]), Int16(b[4]), Int16(b[5]), Int16(b[6]), Int16(b[7]),
               Int16(b[8]), Int16(b[9]), Int16(b[10]), Int16(b[11]), Int16(b[12]), Int16(b[13]), Int16(b[14]), Int16(b[15]))
    }

    @inline(__always)
    static func widen(_ v: SIMD16<Int16>) -> SIMD16<Int32> {
        SIMD16(Int32(v[0]), Int32(v[1]), Int32(v[2]), Int32(v[3]), Int32(v[4]), Int32(v[5]), Int32(v[6]), Int32(v[7]),
               Int32(v[8]), Int32(v[9]), Int32(v[10]), Int32(v[11]), Int32(v[12]), Int32(v[13]), Int32(v[14]), Int32(v[15]))
    }

    /// a[2i]·b[2i] + a[2i+1]·b[2i+1] in Int32, exactly (`vpmaddwd`: the products and their pair sums always fit).
    @inline(__always)
    static func multiplyAddPairs(_ a: SIMD16<Int16>, _ b: SIMD16<Int16>) -> SIMD8<Int32> {
        let p = widen(a) &* widen(b)
        return SIMD8(p[0] &+ p[1], p[2] &+ p[3], p[4] &+ p[5], p[6] &+ p[7],
                     p[8] &+ p[9], p[10] &+ p[11], p[12] &+ p[13], p[14] &+ p[15])
    }

    @inline(__always)
    static func float(_ v: SIMD8<Int32>) -> SIMD8<Float> {
        SIMD8(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]), Float(v[4]), Float(v[5]), Float(v[6]), Float(v[7]))
    }

    @inline(__always)
    static func horizontalSum(_ v: SIMD8<Float>) -> Float {
        ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]))
    }
}
#endif
