#if arch(x86_64)
import EngineKernelsX86V3
#endif

/// A quantized weight matrix `W` (`[rows, columns]`) prepared for matrix-vector and matrix-matrix products with
/// Float32 activations: y = W·x and Y = X·Wᵀ, with W's scales (and zero-points) applied per block. GEMV can also
/// quantize x first (`GEMVActivations.integer`) and then multiply in integers.
///
/// Paths:
/// * GEMV on uniform int8 and int4 on CPUs with AVX2 and FMA: the 256-bit kernels of `EngineKernelsX86V3`
///   (`PackedMatrix+AVX2`), chosen at run time from the CPU flags; with `.integer` activations, the Int16-code
///   kernels there (`vpmaddwd`), and x̂ in Float32 through the paths below wherever those do not apply.
/// * GEMV on uniform int8 and int4 elsewhere: codes are widened to Float32 in SIMD registers (`PackedMatrix+Int8`,
///   `PackedMatrix+Int4`), no lookups.
/// * GEMV on the other 4-bit formats (flint4, PoT4, float4, OVP4): an activation lookup table.
///   For each byte position j a 256-entry table holds x₂ⱼ·v(first) + x₂ⱼ₊₁·v(second) for every byte value, so the
///   inner loop is one table read and one add per two weights. The table is read in column tiles that stay in L2.
/// * Everything else, and every GEMM: each weight row is decoded once to Float32 in a per-thread buffer and
///   dotted with the activation rows (decode cost amortised over the batch in GEMM), four activation rows per
///   weight load (with AVX2/FMA where the CPU has them).
public struct PackedMatrix: Sendable {
    /// The weights.
    public let weights: QuantizedTensor
    let decoder: RowDecoder
    let asymmetric: Bool
    /// Values of the first and second element of each byte (4-bit formats), for the lookup-table path.
    let firstOfByte: [Float]
    let secondOfByte: [Float]
    /// Whether the AVX2/FMA kernels may be used (the CPU has them and the portable path was not forced).
    let usesAVX2: Bool

    /// Prepares `weights`; the fastest kernels this CPU supports are used.
    public init(_ weights: QuantizedTensor) {
        self.init(weights, portableKernelsOnly: false)
    }

    /// Prepares `weights`; `portableKernelsOnly` turns the AVX2 kernels off (tests compare both paths).
    init(_ weights: QuantizedTensor, portableKernelsOnly: Bool) {
        self.weights = weights
        usesAVX2 = !portableKernelsOnly && CPUFeatures.hasHaswellFeatures
        let rowDecoder = RowDecoder(weights)
        decoder = rowDecoder
        if case .element(let t) = weights.format { asymmetric = t.kind == .int(.asymmetric) } else { asymmetric = false }
        if rowDecoder.pairValues.count == 512 {
            firstOfByte = (0 ..< 256).map { rowDecoder.pairValues[2 * $0] }
            secondOfByte = (0 ..< 256).map { rowDecoder.pairValues[2 * $0 + 1] }
        } else {
            firstOfByte = []
            secondOfByte = []
        }
    }

    /// Output features.
    public var rows: Int { weights.rows }
    /// Input features.
    public var columns: Int { weights.columns }

    /// Elements per scale segment within a row (a whole row for per-tensor and per-channel scales).
    var segmentLength: Int { min(weights.blockSize, columns) }

    /// Whether GEMV can use the byte lookup table.
    var usesLookupTable: Bool {
        int4NibbleOffset == nil && avx2Int4Offset == nil &&
        !firstOfByte.isEmpty && columns % 2 == 0 && segmentLength % 2 == 0 && columns > 0
    }

    /// Elements per activation block of `GEMVActivations.integer`: gcd(segment length, 128), so blocks never
    /// straddle a weight scale segment and hold 128 elements for groups of 128 and for the usual row lengths.
    public var activationBlockLength: Int {
        var a = max(segmentLength, 1), b = 128
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }

    /// y = W·x for one activation vector (`x.count == columns`, `y.count == rows`), with the activations read as
    /// `activations` says.
    public func gemv(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>,
                     activations: GEMVActivations = .float32, threads: Int = Parallel.coreCount) {
        precondition(x.count == columns && y.count == rows, "gemv: x has \(x.count) (need \(columns)), y has \(y.count) (need \(rows))")
        guard rows > 0 else { return }
        guard columns > 0 else { y.initialize(repeating: 0); return }
        if case .integer(let bits) = activations {
            let quantized = BlockQuantizedActivations(x, bits: bits, blockLength: activationBlockLength)
            gemv(quantized, into: y, threads: threads)
            return
        }
        #if arch(x86_64)
        if usesAVX2, let signed = int8Signedness {
            gemvInt8AVX2(x, into: y, signed: signed, threads: threads)
            return
        }
        if let offset = avx2Int4Offset {
            gemvInt4AVX2(x, into: y, offset: offset, threads: threads)
            return
        }
        #endif
        if let signed = int8Signedness {
            gemvInt8(x, into: y, signed: signed, threads: threads)
        } else if let offset = int4NibbleOffset {
            gemvInt4(x, into: y, offset: offset, threads: threads)
        } else if usesLookupTable {
            gemvLookup(x, into: y, threads: threads)
        } else {
            gemm(x, batch: 1, into: y, threads: threads)
        }
    }

    /// Whether `GEMVActivations.integer` multiplies in integers here (the AVX2 int8 and int4 kernels and their
    /// layout conditions); otherwise it multiplies x̂ in Float32.
    var hasIntegerActivationKernel: Bool {
        guard usesAVX2 else { return false }
        if int8Signedness != nil { return activationBlockLength % 32 == 0 }
        return uniformInt4Offset != nil && columns % 64 == 0 && activationBlockLength % 64 == 0
    }

    /// y = W·x̂ for block-quantized activations: integer products where a kernel exists, else x̂ in Float32.
    private func gemv(_ x: BlockQuantizedActivations, into y: UnsafeMutableBufferPointer<Float>, threads: Int) {
        #if arch(x86_64)
        if hasIntegerActivationKernel {
            if let signed = int8Signedness {
                gemvInt8Int16AVX2(x, into: y, signed: signed, threads: threads)
            } else if let offset = uniformInt4Offset {
                gemvInt4Int16AVX2(x, into: y, offset: offset, threads: threads)
            }
            return
        }
        #endif
        x.dequantized().withUnsafeBufferPointer { gemv($0, into: y, threads: threads) }
    }

    /// Y = X·Wᵀ for `batch` activation rows: `x` is `[batch, columns]`, `y` is `[batch, rows]`, row-major.
    public func gemm(_ x: UnsafeBufferPointer<Float>, batch: Int, into y: UnsafeMutableBufferPointer<Float>, threads: Int = Parallel.coreCount) {
        precondition(x.count == batch * columns && y.count == batch * rows, "gemm: shapes do not match [\(batch), \(columns)] × [\(rows), \(columns)]ᵀ")
        guard let yBase = y.baseAddress else { return }
        guard columns > 0, let xBase = x.baseAddress else { y.initialize(repeating: 0); return }
        let columns = self.columns
        let rows = self.rows
        let segment = max(segmentLength, 1)
        let segmentsPerRow = columns / segment
        let xSums = asymmetric ? segmentSums(x, batch: batch) : []
        let input = SharedPointer(base: UnsafeMutablePointer(mutating: xBase))
        let output = SharedPointer(base: yBase)
        weights.scales.withUnsafeBufferPointer { scalesBuffer in
            let scales = SharedPointer(base: UnsafeMutablePointer(mutating: scalesBuffer.baseAddress ?? UnsafePointer(bitPattern: 8)!))
            Parallel.forEachChunk(rows, threads: threads, minimumChunk: 4) { range in
                let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(columns, 1))
                defer { scratch.deallocate() }
                for r in range {
                    decoder.decodeUnscaled(row: r, into: scratch)
                    let firstBlock = weights.blockSize >= columns ? r * columns / max(weights.blockSize, 1) : r * segmentsPerRow
                    var n = 0
                    // Four activation rows at a time share each decoded weight load.
                    while n + 4 <= batch {
                        var total = SIMD4<Float>()
                        for g in 0 ..< segmentsPerRow {
                            let block = firstBlock + (weights.blockSize >= columns ? 0 : g)
                            var partial = dot4(scratch + g * segment, input.base + n * columns + g * segment, stride: columns, count: segment)
                            if asymmetric {
                                let z = Float(weights.zeroPoints[block])
                                for lane in 0 ..< 4 { partial[lane] -= z * xSums[(n + lane) * segmentsPerRow + g] }
                            }
                            total += scales.base[block] * partial
                        }
                        for lane in 0 ..< 4 { output.base[(n + lane) * rows + r] = total[lane] }
                        n += 4
                    }
                    while n < batch {
                        let xRow = input.base + n * columns
                        var total: Float = 0
                        for g in 0 ..< segmentsPerRow {
                            let block = firstBlock + (weights.blockSize >= columns ? 0 : g)
                            var partial = VectorMath.dot(scratch + g * segment, xRow + g * segment, count: segment)
                            if asymmetric { partial -= Float(weights.zeroPoints[block]) * xSums[n * segmentsPerRow + g] }
                            total += scales.base[block] * partial
                        }
                        output.base[n * rows + r] = total
                        n += 1
                    }
                }
            }
        }
    }

    /// The GEMM micro-kernel: the AVX2/FMA one where allowed, else the portable one.
    @inline(__always)
    private func dot4(_ w: UnsafePointer<Float>, _ x: UnsafePointer<Float>, stride: Int, count: Int) -> SIMD4<Float> {
        #if arch(x86_64)
        if usesAVX2 { return AVX2DecodedRowDot.dot4(w, x, stride: stride, count: count) }
        #endif
        return VectorMath.dot4(w, x, stride: stride, count: count)
    }

    /// Σ x over each scale segment of each activation row (for zero-points: Σ(q − z)·x = Σq·x − z·Σx).
    private func segmentSums(_ x: UnsafeBufferPointer<Float>, batch: Int) -> [Float] {
        let segment = max(segmentLength, 1)
        let perRow = columns / segment
        var sums = [Float](repeating: 0, count: batch * perRow)
        for n in 0 ..< batch {
            for g in 0 ..< perRow { sums[n * perRow + g] = VectorMath.sum(x.baseAddress! + n * columns + g * segment, count: segment) }
        }
        return sums
    }

    /// Column-tile width of the lookup-table path, in bytes (byte positions): 256 positions × 1 KiB = 256 KiB of
    /// table per tile, which stays in a 1 MiB L2.
    static let lookupTileBytes = 256

    private func gemvLookup(_ x: UnsafeBufferPointer<Float>, into y: UnsafeMutableBufferPointer<Float>, threads: Int) {
        let columns = self.columns
        let rows = self.rows
        let bytesPerRow = columns / 2
        let segment = segmentLength
        let segmentBytes = segment / 2
        let wholeRowSegment = weights.blockSize >= columns
        let segmentsPerRow = columns / segment
        let tileBytes = wholeRowSegment ? min(PackedMatrix.lookupTileBytes, bytesPerRow)
            : max(segmentBytes, PackedMatrix.lookupTileBytes / segmentBytes * segmentBytes)
        let xSums = asymmetric ? segmentSums(x, batch: 1) : []

        // table[j·256 + b] = x[2j]·first(b) + x[2j+1]·second(b)
        let table = UnsafeMutablePointer<Float>.allocate(capacity: bytesPerRow * 256)
        defer { table.deallocate() }
        let sharedTable = SharedPointer(base: table)
        let input = SharedPointer(base: UnsafeMutablePointer(mutating: x.baseAddress!))
        firstOfByte.withUnsafeBufferPointer { firstBuffer in
            secondOfByte.withUnsafeBufferPointer { secondBuffer in
                let first = SharedPointer(base: UnsafeMutablePointer(mutating: firstBuffer.baseAddress!))
                let second = SharedPointer(base: UnsafeMutablePointer(mutating: secondBuffer.baseAddress!))
                Parallel.forEachChunk(bytesPerRow, threads: threads, minimumChunk: 64) { range in
                    let f = UnsafeRawPointer(first.base)
                    let s = UnsafeRawPointer(second.base)
                    for j in range {
                        let x0 = SIMD8<Float>(repeating: input.base[2 * j])
                        let x1 = SIMD8<Float>(repeating: input.base[2 * j + 1])
                        let out = UnsafeMutableRawPointer(sharedTable.base + j * 256)
                        for b in stride(from: 0, to: 256, by: 8) {
                            let v = x0 * f.loadUnaligned(fromByteOffset: 4 * b, as: SIMD8<Float>.self)
                                + x1 * s.loadUnaligned(fromByteOffset: 4 * b, as: SIMD8<Float>.self)
                            out.storeBytes(of: v, toByteOffset: 4 * b, as: SIMD8<Float>.self)
                        }
                    }
                }
            }
        }

        let output = SharedPointer(base: y.baseAddress!)
        weights.codes.withUnsafeBufferPointer { codesBuffer in
            weights.scales.withUnsafeBufferPointer { scalesBuffer in
                let codes = SharedPointer(base: UnsafeMutablePointer(mutating: codesBuffer.baseAddress!))
                let scales = SharedPointer(base: UnsafeMutablePointer(mutating: scalesBuffer.baseAddress!))
                Parallel.forEachChunk(rows, threads: threads, minimumChunk: 8) { range in
                    let chunkRows = 32
                    var accumulators = [Float](repeating: 0, count: chunkRows)
                    for chunkStart in stride(from: range.lowerBound, to: range.upperBound, by: chunkRows) {
                        let chunkEnd = min(chunkStart + chunkRows, range.upperBound)
                        for i in 0 ..< chunkEnd - chunkStart { accumulators[i] = 0 }
                        for tileStart in stride(from: 0, to: bytesPerRow, by: tileBytes) {
                            let tileEnd = min(tileStart + tileBytes, bytesPerRow)
                            for r in chunkStart ..< chunkEnd {
                                let rowCodes = codes.base + r * bytesPerRow
                                if wholeRowSegment {
                                    accumulators[r - chunkStart] += PackedMatrix.lookupSum(rowCodes, sharedTable.base, tileStart, tileEnd)
                                } else {
                                    var total: Float = 0
                                    for g in stride(from: tileStart, to: tileEnd, by: segmentBytes) {
                                        let block = r * segmentsPerRow + g / segmentBytes
                                        var partial = PackedMatrix.lookupSum(rowCodes, sharedTable.base, g, g + segmentBytes)
                                        if asymmetric { partial -= Float(weights.zeroPoints[block]) * xSums[g / segmentBytes] }
                                        total += scales.base[block] * partial
                                    }
                                    accumulators[r - chunkStart] += total
                                }
                            }
                        }
                        for r in chunkStart ..< chunkEnd {
                            var value = accumulators[r - chunkStart]
                            if wholeRowSegment {
                                let block = r * columns / weights.blockSize
                                if asymmetric { value -= Float(weights.zeroPoints[block]) * xSums[0] }
                                value *= scales.base[block]
                            }
                            output.base[r] = value
                        }
                    }
                }
            }
        }
    }

    /// Σ table[j·256 + codes[j]] for j in start..<end.
    @inline(__always)
    static func lookupSum(_ codes: UnsafePointer<UInt8>, _ table: UnsafePointer<Float>, _ start: Int, _ end: Int) -> Float {
        var a0: Float = 0, a1: Float = 0, a2: Float = 0, a3: Float = 0
        var a4: Float = 0, a5: Float = 0, a6: Float = 0, a7: Float = 0
        var j = start
        while j + 8 <= end {
            // One 8-byte load feeds eight lookups; eight accumulators hide the add latency.
            let word = UnsafeRawPointer(codes + j).loadUnaligned(as: UInt64.self)
            let t = table + j &* 256
            a0 += t[Int(word & 0xFF)]
            a1 += t[256 &+ Int((word &>> 8) & 0xFF)]
            a2 += t[512 &+ Int((word &>> 16) & 0xFF)]
            a3 += t[768 &+ Int((word &>> 24) & 0xFF)]
            a4 += t[1024 &+ Int((word &>> 32) & 0xFF)]
            a5 += t[1280 &+ Int((word &>> 40) & 0xFF)]
            a6 += t[1536 &+ Int((word &>> 48) & 0xFF)]
            a7 += t[1792 &+ Int(word &>> 56)]
            j += 8
        }
        while j < end {
            a0 += table[j &* 256 &+ Int(codes[j])]
            j += 1
        }
        return ((a0 + a1) + (a2 + a3)) + ((a4 + a5) + (a6 + a7))
    }
}
