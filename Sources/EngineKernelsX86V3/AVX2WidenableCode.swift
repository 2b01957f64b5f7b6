#if arch(x86_64)
/// An 8-bit code type whose 8 consecutive codes become 8 exact Float32 lanes.
protocol AVX2WidenableCode {
    static func floats(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float>
}

extension Int8: AVX2WidenableCode {
    @inline(__always)
    static func floats(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        AVX2Lanes.float(AVX2Lanes.widen(codes.loadUnaligned(fromByteOffset: offset, as: SIMD8<Int8>.self)))
    }
}

extension UInt8: AVX2WidenableCode {
    @inline(__always)
    static func floats(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD8<Float> {
        AVX2Lanes.float(AVX2Lanes.widen(codes.loadUnaligned(fromByteOffset: offset, as: SIMD8<UInt8>.self)))
    }
}
#endif
