/// Configuration of one `Quantizer` call.
public struct QuantizationOptions: Sendable, Hashable {
    /// Method (fixed family, ANT, OliVe).
    public var method: QuantizationMethod
    /// Bits per element.
    public var bits: Int
    /// Scale granularity.
    public var granularity: Granularity
    /// Rounding rule; nil picks half-to-even for fixed int families and ties-to-larger elsewhere (§0).
    public var rounding: RoundingRule?
    /// Clip sweep; nil picks the method's default (§2.1 for ANT and fixed types, §3.2 for OliVe).
    public var clipSearch: ClipSearch?
    /// Worker threads.
    public var threads: Int

    /// Creates options.
    public init(method: QuantizationMethod, bits: Int, granularity: Granularity = .perChannel,
                rounding: RoundingRule? = nil, clipSearch: ClipSearch? = nil, threads: Int = Parallel.coreCount) {
        self.method = method
        self.bits = bits
        self.granularity = granularity
        self.rounding = rounding
        self.clipSearch = clipSearch
        self.threads = threads
    }
}
