#if arch(x86_64)
/// What an AVX2 GEMV kernel needs to compute y[r] = Σ_g s(r, g) · (Σ_{c ∈ g} u(r, c)·x[c] − (offset + z(r, g))·S_g)
/// for the rows it is given, where u is the stored code read as an unsigned (int4 after the XOR with `flip`) or
/// signed (int8) integer, g runs over the scale segments of a row and S_g = Σ_{c ∈ g} x[c].
///
/// Kernels with integer activations read x as Int16 codes q with one scale per block of `activationBlockLength`
/// elements, x[c] = activationScales[b]·q[c], and S_g is the sum of those dequantized values.
///
/// `@unchecked Sendable`: the pointers are only read, except `output`, and every worker writes its own rows; the
/// caller keeps the buffers alive until the parallel loop returns.
public struct PackedGEMVArguments: @unchecked Sendable {
    /// Row-major codes, `bytesPerRow` bytes per row.
    public let codes: UnsafePointer<UInt8>
    public let bytesPerRow: Int
    /// The activations in the type and layout the kernel documents (Float32: `AVX2Int4GEMV.permute` for int4, as
    /// is for int8; Int16 codes: `AVX2Int4Int16GEMV.permute` for int4, as is for int8).
    public let x: UnsafeRawPointer
    /// Scale of each block of Int16 activation codes, or nil for Float32 activations.
    public let activationScales: UnsafePointer<Float>?
    /// Elements per activation block (a divisor of `segmentLength`); 0 for Float32 activations.
    public let activationBlockLength: Int
    /// Elements per scale segment and segments per row (one segment spanning the row for per-channel and
    /// per-tensor scales).
    public let segmentLength: Int
    public let segmentsPerRow: Int
    /// Scale of (row r, segment g) is `scales[r · scaleRowStride + g]`: 0 for one scale per tensor, 1 per channel,
    /// `segmentsPerRow` per group.
    public let scales: UnsafePointer<Float>
    public let scaleRowStride: Int
    /// Zero-points, indexed like the scales (asymmetric codes), or nil.
    public let zeroPoints: UnsafePointer<Int32>?
    /// Constant subtracted from every code (8 for two's complement nibbles after the XOR, else 0).
    public let offset: Float
    /// S_g for each segment of the (single) activation row.
    public let segmentSums: UnsafePointer<Float>
    public let output: UnsafeMutablePointer<Float>

    /// Bundles the arguments; see the properties.
    public init(codes: UnsafePointer<UInt8>, bytesPerRow: Int, x: UnsafeRawPointer,
                activationScales: UnsafePointer<Float>? = nil, activationBlockLength: Int = 0, segmentLength: Int,
                segmentsPerRow: Int, scales: UnsafePointer<Float>, scaleRowStride: Int,
                zeroPoints: UnsafePointer<Int32>?, offset: Float, segmentSums: UnsafePointer<Float>,
                output: UnsafeMutablePointer<Float>) {
        self.codes = codes
        self.bytesPerRow = bytesPerRow
        self.x = x
        self.activationScales = activationScales
        self.activationBlockLength = activationBlockLength
        self.segmentLength = segmentLength
        self.segmentsPerRow = segmentsPerRow
        self.scales = scales
        self.scaleRowStride = scaleRowStride
        self.zeroPoints = zeroPoints
        self.offset = offset
        self.segmentSums = segmentSums
        self.output = output
    }

    /// Calls `pair` for rows (r, r + 1) of `rows` and stores its two outputs; an odd last row is computed as both
    /// rows of its pair and stored once.
    @inline(__always)
    func forEachRowPair(_ rows: Range<Int>, _ pair: (Int, Int) -> (Float, Float)) {
        var r = rows.lowerBound
        while r < rows.upperBound {
            let r1 = Swift.min(r &+ 1, rows.upperBound &- 1)
            let (y0, y1) = pair(r, r1)
            output[r] = y0
            output[r1] = y1
            r &+= 2
        }
    }

    /// Scale of (row r, segment g) and the constant (offset + zero-point) its codes are shifted by.
    @inline(__always)
    func scaleAndShift(row r: Int, segment g: Int) -> (scale: Float, shift: Float) {
        let index = r &* scaleRowStride &+ g
        return (scales[index], offset + (zeroPoints.map { Float($0[index]) } ?? 0))
    }
}
#endif
