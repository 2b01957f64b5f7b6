/// Times OpenBLAS `cblas_sgemm` (through ``MatrixProduct``) on one shape, for the "fraction of sgemm's peak" of a
/// model evaluation: the same binary, the same thread settings, measured in the same run.
public enum SGEMMProbe {
    /// GFLOP/s of `[m, k] · [n, k]ᵀ` (the layout of the model's linear layers), best of repeated timings lasting
    /// at least `seconds` in total.
    public static func gigaflops(m: Int, n: Int, k: Int, seconds: Double = 0.5) -> Double {
        precondition(m > 0 && n > 0 && k > 0, "SGEMMProbe: empty shape")
        var random = SplitMix64(seed: 5)
        let a = Tensor(shape: [m, k], values: (0 ..< m * k).map { _ in Float.random(in: -1 ... 1, using: &random) })
        let b = Tensor(shape: [n, k], values: (0 ..< n * k).map { _ in Float.random(in: -1 ... 1, using: &random) })
        _ = MatrixProduct.multiply(a, transposed: b)  // warm-up: thread pool and caches
        let clock = ContinuousClock()
        let start = clock.now
        var best = Double.infinity
        var runs = 0
        while runs < 3 || (start.duration(to: clock.now) < .seconds(seconds) && runs < 100_000) {
            let t0 = clock.now
            _ = MatrixProduct.multiply(a, transposed: b)
            best = min(best, Self.seconds(t0.duration(to: clock.now)))
            runs += 1
        }
        return 2 * Double(m) * Double(n) * Double(k) / max(best, 1e-9) / 1e9
    }

    /// A duration in seconds.
    public static func seconds(_ duration: Duration) -> Double {
        let (whole, fraction) = duration.components
        return Double(whole) + Double(fraction) * 1e-18
    }
}
