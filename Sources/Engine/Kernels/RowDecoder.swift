/// Decodes rows of a `QuantizedTensor` to Float32, precomputing per-format lookup tables once.
///
/// For 4-bit element formats and OVP4 a 256-entry table maps each byte straight to its two values; 8-bit
/// formats use a 256-entry table per byte; 2/3/5/6-bit codes are unpacked and then looked up.
public struct RowDecoder: Sendable {
    /// The tensor being decoded.
    public let tensor: QuantizedTensor
    /// Value of each code in native units (element formats).
    let codeValues: [Float]
    /// byte → (first element, second element) for 4-bit formats, flattened as 512 floats.
    let pairValues: [Float]
    let ovp: OVPCodec?
    let asymmetric: Bool

    /// Builds the tables for `tensor`.
    public init(_ tensor: QuantizedTensor) {
        self.tensor = tensor
        switch tensor.format {
        case .element(let type):
            let table = type.decodeTable()
            codeValues = table
            ovp = nil
            asymmetric = type.kind == .int(.asymmetric)
            // BitPacking puts the first element of a byte in the low nibble.
            pairValues = type.bits == 4 ? (0 ..< 256).flatMap { [table[$0 & 15], table[$0 >> 4]] } : []
        case .olive(let format):
            let codec = OVPCodec(format: format)
            ovp = codec
            codeValues = []
            asymmetric = false
            // OVP puts the left element in the high nibble.
            pairValues = format.bits == 4
                ? (0 ..< 256).flatMap { b -> [Float] in let (l, r) = codec.decodePair(UInt8(b >> 4), UInt8(b & 15)); return [l, r] }
                : []
        }
    }

    /// Writes row `row` in native units (no scales, asymmetric codes as raw q) into `output[0 ..< columns]`.
    public func decodeUnscaled(row: Int, into output: UnsafeMutablePointer<Float>) {
        let columns = tensor.columns
        let stride = tensor.rowStride
        tensor.codes.withUnsafeBufferPointer { all in
            let bytes = all.baseAddress! + row * stride
            if !pairValues.isEmpty {
                pairValues.withUnsafeBufferPointer { table in
                    let t = table.baseAddress!
                    let fullBytes = columns / 2
                    for j in 0 ..< fullBytes {
                        let k = Int(bytes[j]) &* 2
                        output[2 * j] = t[k]
                        output[2 * j + 1] = t[k + 1]
                    }
                    if columns % 2 == 1 { output[columns - 1] = t[Int(bytes[fullBytes]) * 2] }
                }
                return
            }
            if let ovp {
                for p in 0 ..< columns / 2 {
                    let (l, r) = ovp.decodePair(bytes[2 * p], bytes[2 * p + 1])
                    output[2 * p] = l
                    output[2 * p + 1] = r
                }
                return
            }
            codeValues.withUnsafeBufferPointer { table in
                let bits = tensor.format.bits
                if bits == 8 {
                    for c in 0 ..< columns { output[c] = table[Int(bytes[c])] }
                    return
                }
                // LSB-first bit stream (BitPacking layout).
                let mask = UInt32(1 << bits) - 1
                var accumulator: UInt32 = 0
                var available = 0
                var input = 0
                for c in 0 ..< columns {
                    if available < bits {
                        accumulator |= UInt32(bytes[input]) << available
                        input += 1
                        available += 8
                    }
                    output[c] = table[Int(accumulator & mask)]
                    accumulator >>= bits
                    available -= bits
                }
            }
        }
    }

    /// The scale segments of a row: (start column, length, block index).
    @inline(__always)
    func forEachSegment(row: Int, _ body: (Int, Int, Int) -> Void) {
        let columns = tensor.columns
        let block = tensor.blockSize
        if block >= columns {
            body(0, columns, row * columns / max(block, 1))
        } else {
            let perRow = columns / block
            for g in 0 ..< perRow { body(g * block, block, row * perRow + g) }
        }
    }

    /// Writes the dequantized row `row` (scales and zero-points applied) into `output[0 ..< columns]`.
    public func decode(row: Int, into output: UnsafeMutablePointer<Float>) {
        decodeUnscaled(row: row, into: output)
        tensor.scales.withUnsafeBufferPointer { scales in
            tensor.zeroPoints.withUnsafeBufferPointer { zeros in
                forEachSegment(row: row) { start, length, blockIndex in
                    let s = scales[blockIndex]
                    let z: Float = asymmetric ? Float(zeros[blockIndex]) : 0
                    for c in start ..< start + length { output[c] = (output[c] - z) * s }
                }
            }
        }
    }
}
