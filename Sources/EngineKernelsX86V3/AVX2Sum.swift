#if arch(x86_64)
/// Horizontal sums written lane by lane so that they always inline to shuffles and adds.
enum AVX2Sum {
    @inline(__always)
    static func horizontal(_ v: SIMD8<Float>) -> Float {
        let h = v.lowHalf + v.highHalf
        return (h[0] + h[1]) + (h[2] + h[3])
    }
}
#endif
