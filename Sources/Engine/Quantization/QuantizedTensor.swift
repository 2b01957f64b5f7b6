/// A quantized tensor: packed codes, one scale (and zero-point for asymmetric int) per block, and the format.
///
/// The tensor is viewed as `[rows, columns]` (first dimension × the rest). Each row's codes start on a byte
/// boundary: element formats are bit-packed per row (`BitPacking` layout), OliVe rows are pair bytes
/// (`OVPCodec` layout). Scale blocks follow `granularity`, in row-major order.
public struct QuantizedTensor: Sendable, Equatable {
    /// Original shape.
    public let shape: [Int]
    /// Storage format.
    public let format: QuantFormat
    /// Scale granularity.
    public let granularity: Granularity
    /// Packed codes, `rows × rowStride` bytes.
    public let codes: [UInt8]
    /// One scale per block.
    public let scales: [Float]
    /// One zero-point per block for asymmetric int; empty otherwise.
    public let zeroPoints: [Int32]

    /// Creates a tensor after checking that every buffer has the size its shape and format imply.
    public init(shape: [Int], format: QuantFormat, granularity: Granularity, codes: [UInt8], scales: [Float],
                zeroPoints: [Int32] = []) throws(FormatError) {
        guard shape.count >= 1, shape.allSatisfy({ $0 >= 0 }) else { throw .invalidOption("invalid quantized shape \(shape)") }
        self.shape = shape
        self.format = format
        self.granularity = granularity
        self.codes = codes
        self.scales = scales
        self.zeroPoints = zeroPoints
        rows = shape[0]
        columns = Tensor.elementCount(of: Array(shape.dropFirst()))
        let block = try granularity.blockSize(rows: shape[0], columns: columns)
        blockSize = block
        if case .olive = format, columns % 2 != 0 || block % 2 != 0 {
            throw .invalidOption("OliVe needs an even row length and block size, got \(columns) and \(block)")
        }
        guard codes.count == rows * rowStride else {
            throw .invalidOption("codes hold \(codes.count) bytes, \(rows) rows × \(rowStride) needed")
        }
        let blocks = block == 0 ? 0 : rows * columns / block
        guard scales.count == blocks else { throw .invalidOption("\(scales.count) scales given, \(blocks) blocks") }
        var needsZero = false
        if case .element(let type) = format, type.kind == .int(.asymmetric) { needsZero = true }
        guard zeroPoints.count == (needsZero ? blocks : 0) else {
            throw .invalidOption("\(zeroPoints.count) zero-points given, \(needsZero ? blocks : 0) expected")
        }
    }

    /// First dimension (stored: kernels read it in their inner loops).
    public let rows: Int
    /// Elements per row (product of the remaining dimensions).
    public let columns: Int
    /// Elements per scale block.
    public let blockSize: Int
    /// Number of elements.
    public var count: Int { rows * columns }
    /// Bytes per row of `codes`.
    public var rowStride: Int { QuantizedTensor.rowStride(format: format, columns: columns) }

    /// Bytes per row for a format and row length.
    public static func rowStride(format: QuantFormat, columns: Int) -> Int {
        switch format {
        case .element(let t): BitPacking.byteCount(codes: columns, bits: t.bits)
        case .olive(let f): f.bits == 4 ? columns / 2 : columns
        }
    }

    /// Storage size in bytes: codes plus Float32 scales plus Int32 zero-points.
    public var storageBytes: Int { codes.count + 4 * scales.count + 4 * zeroPoints.count }
}
