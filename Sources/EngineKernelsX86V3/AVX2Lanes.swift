#if arch(x86_64)
/// Lane conversions and sums written lane by lane, so they always inline and LLVM folds them into single vector
/// instructions (`vpmovzxbd`, `vpmovsxbd`, `vcvtdq2ps`). The standard library's generic
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
    static func float(_ v: SIMD8<Int32>) -> SIMD8<Float> {
        SIMD8(Float(v[0]), Float(v[1]), Float(v[2]), Float(v[3]), Float(v[4]), Float(v[5]), Float(v[6]), Float(v[7]))
    }

    @inline(__always)
    static func horizontalSum(_ v: SIMD8<Float>) -> Float {
        ((v[0] + v[4]) + (v[1] + v[5])) + ((v[2] + v[6]) + (v[3] + v[7]))
    }
}
#endif
