/// Rounds scaled values to one element type and finds the MSE-optimal clip per block (QUANT_SPEC §2.1).
public struct ElementQuantizer: Sendable {
    /// The type.
    public let type: ElementType
    /// The type's grid.
    public let grid: QuantGrid
    /// Rounding rule; `.halfToEven` only changes int types.
    public let rounding: RoundingRule
    private let uniform: Bool
    private let codeMask: Int

    /// Creates a quantizer for `type`.
    public init(type: ElementType, rounding: RoundingRule = .nearestTiesToLarger) {
        self.type = type
        self.grid = type.grid
        self.rounding = rounding
        if case .int = type.kind { uniform = rounding == .halfToEven } else { uniform = false }
        codeMask = (1 << type.bits) - 1
    }

    /// Whether this type carries a zero-point.
    public var isAsymmetric: Bool { type.kind == .int(.asymmetric) }

    /// Code and native value for a value already divided by the scale (symmetric types).
    @inline(__always)
    public func quantize(scaled v: Float) -> (code: UInt8, value: Float) {
        if uniform {
            let q = min(max(v.rounded(.toNearestOrEven), grid.minValue), grid.maxValue)
            return (UInt8(truncatingIfNeeded: Int(q) & codeMask), q)
        }
        let i = grid.nearestIndex(v)
        return (grid.codes[i], grid.values[i])
    }

    /// Integer code for the asymmetric int path: clamp(round(v) + z, 0, 2^b − 1) (§7.1).
    @inline(__always)
    func asymmetricCode(scaled v: Float, zeroPoint: Float) -> Float {
        let r = rounding == .halfToEven ? v.rounded(.toNearestOrEven) : (v + 0.5).rounded(.down)
        return min(max(r + zeroPoint, 0), Float(codeMask))
    }

    /// Scale, zero-point and squared-error sum chosen for one block.
    public struct BlockChoice: Sendable, Equatable {
        /// Scale s (x ≈ s·g, or s·(q − z)).
        public var scale: Float
        /// Zero-point (0 unless asymmetric).
        public var zeroPoint: Float
        /// Σ (q(x) − x)² at that scale.
        public var squaredError: Double
    }

    /// Squared-error sum of quantizing `block` at `scale` (and `zeroPoint`).
    public func squaredError(_ block: UnsafeBufferPointer<Float>, scale: Float, zeroPoint: Float = 0) -> Double {
        let inverse = 1 / scale
        var sum: Double = 0
        if isAsymmetric {
            for x in block {
                let q = asymmetricCode(scaled: x * inverse, zeroPoint: zeroPoint)
                let d = (q - zeroPoint) * scale - x
                sum += Double(d * d)
            }
        } else if !uniform, let table = grid.table {
            // Hot loop of the clip sweep: raw pointers only, so no reference counting per element.
            table.withLookup { lookup in
                grid.values.withUnsafeBufferPointer { values in
                    for x in block {
                        let d = values[lookup.index(x * inverse)] * scale - x
                        sum += Double(d * d)
                    }
                }
            }
        } else {
            for x in block {
                let d = quantize(scaled: x * inverse).value * scale - x
                sum += Double(d * d)
            }
        }
        return sum
    }

    /// The clip-ratio sweep over one block: α = base·i/100 with base = max|x| and s = α / max(G) (§0, §2.1);
    /// for asymmetric int the range [min, max] (with min ≤ 0 ≤ max) shrinks by the ratio and
    /// s = range/(2^b − 1), z = round(−min/s) (§7.1). Ties between ratios keep the first.
    public func bestChoice(for block: UnsafeBufferPointer<Float>, search: ClipSearch) -> BlockChoice {
        var lowest: Float = 0
        var highest: Float = 0
        for x in block {
            lowest = min(lowest, x)
            highest = max(highest, x)
        }
        let base = max(-lowest, highest)
        guard base > 0, base.isFinite else { return BlockChoice(scale: 1, zeroPoint: 0, squaredError: 0) }
        var best = BlockChoice(scale: 1, zeroPoint: 0, squaredError: .infinity)
        for ratio in search.ratios {
            var choice: BlockChoice
            if isAsymmetric {
                let scale = (highest - lowest) * ratio / Float(codeMask)
                let zero = (-lowest * ratio / scale).rounded(.toNearestOrEven)
                choice = BlockChoice(scale: scale, zeroPoint: zero, squaredError: 0)
            } else {
                choice = BlockChoice(scale: base * ratio / grid.maxValue, zeroPoint: 0, squaredError: 0)
            }
            choice.squaredError = squaredError(block, scale: choice.scale, zeroPoint: choice.zeroPoint)
            if choice.squaredError < best.squaredError { best = choice }
        }
        return best
    }
}
