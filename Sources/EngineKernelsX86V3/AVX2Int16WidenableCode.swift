#if arch(x86_64)
/// An 8-bit code type whose 16 consecutive codes become 16 exact Int16 lanes.
protocol AVX2Int16WidenableCode {
    static func int16Lanes(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD16<Int16>
}

extension Int8: AVX2Int16WidenableCode {
    @inline(__always)
    static func int16Lanes(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD16<Int16> {
        AVX2Lanes.widen(codes.loadUnaligned(fromByteOffset: offset, as: SIMD16<Int8>.self))
    }
}

extension UInt8: AVX2Int16WidenableCode {
    @inline(__always)
    static func int16Lanes(_ codes: UnsafeRawPointer, _ offset: Int) -> SIMD16<Int16> {
        AVX2Lanes.widen(codes.loadUnaligned(fromByteOffset: offset, as: SIMD16<UInt8>.self))
    }
}
#endif
