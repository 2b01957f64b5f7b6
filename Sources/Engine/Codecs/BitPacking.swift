/// Packs b-bit codes (b ∈ 1…8) into bytes and back.
///
/// Layout: a little-endian bit stream. Code i occupies bits [i·b, i·b + b) of the stream, where bit j of the
/// stream is bit (j mod 8) of byte ⌊j/8⌋, least significant first. So at 4 bits element 2k is the low nibble of
/// byte k; at 2 bits byte k holds elements 4k…4k+3 from the low end; at 3 bits eight codes fill three bytes.
/// A stream of n codes takes ⌈n·b/8⌉ bytes; unused high bits of the last byte are zero.
public enum BitPacking {
    /// Bytes needed for `count` codes of `bits` bits.
    public static func byteCount(codes count: Int, bits: Int) -> Int {
        (count * bits + 7) / 8
    }

    /// Packs `codes` (each < 2^bits) into `output`, which must hold `byteCount(codes:bits:)` bytes.
    public static func pack(_ codes: UnsafeBufferPointer<UInt8>, bits: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition((1...8).contains(bits), "bit width \(bits) out of 1…8")
        precondition(output.count == byteCount(codes: codes.count, bits: bits), "packed buffer size mismatch")
        if bits == 8 {
            _ = output.initialize(fromContentsOf: codes)
            return
        }
        let mask = UInt32(1 << bits) - 1
        var accumulator: UInt32 = 0
        var filled = 0
        var out = 0
        for code in codes {
            precondition(UInt32(code) <= mask, "code \(code) does not fit in \(bits) bits")
            accumulator |= UInt32(code) << filled
            filled += bits
            while filled >= 8 {
                output[out] = UInt8(truncatingIfNeeded: accumulator)
                out += 1
                accumulator >>= 8
                filled -= 8
            }
        }
        if filled > 0 { output[out] = UInt8(truncatingIfNeeded: accumulator) }
    }

    /// Unpacks `output.count` codes from `packed`.
    public static func unpack(_ packed: UnsafeBufferPointer<UInt8>, bits: Int, into output: UnsafeMutableBufferPointer<UInt8>) {
        precondition((1...8).contains(bits), "bit width \(bits) out of 1…8")
        precondition(packed.count >= byteCount(codes: output.count, bits: bits), "packed buffer too short")
        if bits == 8 {
            for i in 0 ..< output.count { output[i] = packed[i] }
            return
        }
        let mask = UInt32(1 << bits) - 1
        var accumulator: UInt32 = 0
        var available = 0
        var input = 0
        for i in 0 ..< output.count {
            if available < bits {
                accumulator |= UInt32(packed[input]) << available
                input += 1
                available += 8
            }
            output[i] = UInt8(truncatingIfNeeded: accumulator & mask)
            accumulator >>= bits
            available -= bits
        }
    }

    /// Packs an array (convenience).
    public static func pack(_ codes: [UInt8], bits: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: byteCount(codes: codes.count, bits: bits))
        codes.withUnsafeBufferPointer { c in out.withUnsafeMutableBufferPointer { pack(c, bits: bits, into: $0) } }
        return out
    }

    /// Unpacks `count` codes (convenience).
    public static func unpack(_ packed: [UInt8], bits: Int, count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        packed.withUnsafeBufferPointer { p in out.withUnsafeMutableBufferPointer { unpack(p, bits: bits, into: $0) } }
        return out
    }
}
