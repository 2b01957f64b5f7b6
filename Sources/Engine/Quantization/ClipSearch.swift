/// The clip-ratio sweep of QUANT_SPEC §2.1 / §3.2: candidate clip values α = base · i/100 for
/// i in `low, low+step, … < high`.
public struct ClipSearch: Sendable, Hashable {
    /// First ratio, in percent.
    public let low: Int
    /// End of the sweep (exclusive), in percent.
    public let high: Int
    /// Step, in percent.
    public let step: Int

    /// Creates a sweep.
    public init(low: Int, high: Int, step: Int = 1) {
        precondition(low > 0 && high > low && step > 0, "invalid clip sweep")
        self.low = low
        self.high = high
        self.step = step
    }

    /// ANT: base = max|x|, i ∈ [75, 150) (§2.1).
    public static let ant = ClipSearch(low: 75, high: 150)
    /// ANT above 6 bits: the reference raises the start to 95 (§2.1).
    public static let antHighBits = ClipSearch(low: 95, high: 150)
    /// OliVe: base = 3σ bound, i = 75, 77, … < 250 (§3.2).
    public static let olive = ClipSearch(low: 75, high: 250, step: 2)
    /// No search: α = base.
    public static let none = ClipSearch(low: 100, high: 101)

    /// The ratios as fractions.
    public var ratios: [Float] { stride(from: low, to: high, by: step).map { Float($0) / 100 } }

    /// The ANT default for a bit-width.
    public static func antDefault(bits: Int) -> ClipSearch { bits > 6 ? .antHighBits : .ant }
}
