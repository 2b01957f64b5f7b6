/// Sustained memory bandwidth, measured with STREAM-style kernels (McCalpin's STREAM "copy" and "triad") and a
/// read-only sum, the access pattern of a GEMV (weights are only read; on many machines reads alone stream faster
/// than copy or triad, whose writes also cost a read for ownership).
public struct BandwidthProbe: Sendable {
    /// Result of one measurement, in GB/s (10⁹ bytes per second), best of the repetitions.
    public struct Result: Sendable, Equatable {
        /// copy b[i] = a[i]: 2 × size bytes moved.
        public let copyGBps: Double
        /// triad a[i] = b[i] + s·c[i]: 3 × size bytes moved.
        public let triadGBps: Double
        /// read Σ a[i]: size bytes moved.
        public let readGBps: Double

        /// The largest of the three.
        public var bestGBps: Double { max(copyGBps, triadGBps, readGBps) }
    }

    /// Bytes per array; must dwarf the last-level cache.
    public let arrayBytes: Int
    /// Timed repetitions (the best is kept).
    public let repetitions: Int

    /// Creates a probe.
    public init(arrayBytes: Int = 256 << 20, repetitions: Int = 5) {
        precondition(arrayBytes >= 4096 && repetitions >= 1)
        self.arrayBytes = arrayBytes
        self.repetitions = repetitions
    }

    /// Runs copy, triad and read on `threads` threads.
    public func measure(threads: Int = Parallel.coreCount) -> Result {
        let count = arrayBytes / 4
        let a = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let b = UnsafeMutablePointer<Float>.allocate(capacity: count)
        let c = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { a.deallocate(); b.deallocate(); c.deallocate() }
        let pa = SharedPointer(base: a), pb = SharedPointer(base: b), pc = SharedPointer(base: c)
        // First touch in parallel so pages are spread like the timed loops.
        Parallel.forEachChunk(count, threads: threads) { r in
            for i in r { pa.base[i] = 1; pb.base[i] = 2; pc.base[i] = 0.5 }
        }
        let clock = ContinuousClock()
        var bestCopy = Duration.seconds(1_000_000)
        var bestTriad = Duration.seconds(1_000_000)
        var bestRead = Duration.seconds(1_000_000)
        let sums = UnsafeMutablePointer<Float>.allocate(capacity: max(1, min(threads, count)))
        defer { sums.deallocate() }
        let partialSums = SharedPointer(base: sums)
        for _ in 0 ..< repetitions {
            let copy = clock.measure {
                Parallel.forEachChunk(count, threads: threads) { r in
                    UnsafeMutableRawPointer(pb.base + r.lowerBound).copyMemory(from: pa.base + r.lowerBound, byteCount: 4 * r.count)
                }
            }
            bestCopy = min(bestCopy, copy)
            let triad = clock.measure {
                Parallel.forEachChunk(count, threads: threads) { r in
                    let s: Float = 3
                    for i in r { pa.base[i] = pb.base[i] + s * pc.base[i] }
                }
            }
            bestTriad = min(bestTriad, triad)
            // The chunks forEachChunk makes (minimumChunk 1, one per worker), so each chunk has its own slot.
            let workers = max(1, min(threads, count))
            let chunk = (count + workers - 1) / workers
            let read = clock.measure {
                Parallel.forEachChunk(count, threads: threads) { r in
                    // Four independent accumulators so the adds do not wait on each other; the sum is stored so the
                    // loop is not optimised away.
                    var acc0 = SIMD8<Float>(), acc1 = SIMD8<Float>(), acc2 = SIMD8<Float>(), acc3 = SIMD8<Float>()
                    let base = UnsafeRawPointer(pa.base)
                    var i = r.lowerBound
                    while i + 32 <= r.upperBound {
                        acc0 += base.loadUnaligned(fromByteOffset: 4 * i, as: SIMD8<Float>.self)
                        acc1 += base.loadUnaligned(fromByteOffset: 4 * i + 32, as: SIMD8<Float>.self)
                        acc2 += base.loadUnaligned(fromByteOffset: 4 * i + 64, as: SIMD8<Float>.self)
                        acc3 += base.loadUnaligned(fromByteOffset: 4 * i + 96, as: SIMD8<Float>.self)
                        i += 32
                    }
                    while i < r.upperBound { acc0[0] += pa.base[i]; i += 1 }
                    partialSums.base[r.lowerBound / chunk] = ((acc0 + acc1) + (acc2 + acc3)).sum()
                }
            }
            bestRead = min(bestRead, read)
        }
        return Result(copyGBps: Double(2 * arrayBytes) / BandwidthProbe.seconds(bestCopy) / 1e9,
                      triadGBps: Double(3 * arrayBytes) / BandwidthProbe.seconds(bestTriad) / 1e9,
                      readGBps: Double(arrayBytes) / BandwidthProbe.seconds(bestRead) / 1e9)
    }

    /// A duration in seconds.
    public static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
