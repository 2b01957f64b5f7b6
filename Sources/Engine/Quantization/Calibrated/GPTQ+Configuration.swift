extension GPTQ {
    /// Settings of one GPTQ run (QUANT_SPEC §7.1).
    public struct Configuration: Sendable, Hashable {
        /// Columns per lazy batch update B; the result does not depend on it beyond rounding (§7.1).
        public var blockSize: Int
        /// λ as a fraction of mean(diag H) added to the diagonal ("percdamp").
        public var dampening: Double
        /// Process columns by descending diag(H) (the permutation is undone in the result).
        public var actOrder: Bool
        /// Fit group scales up front on the original weight instead of when each group is reached. Always the case
        /// with `actOrder` and group granularity, so that groups stay contiguous in the original column order and
        /// the result packs as a plain `QuantizedTensor` (the reference's "static groups").
        public var staticGroups: Bool

        /// The reference defaults: B = 128, λ = 0.01·mean(diag H), act-order on, groups fitted when reached.
        public init(blockSize: Int = 128, dampening: Double = 0.01, actOrder: Bool = true, staticGroups: Bool = false) {
            self.blockSize = blockSize
            self.dampening = dampening
            self.actOrder = actOrder
            self.staticGroups = staticGroups
        }

        /// - Throws: `CalibrationError.invalidConfiguration` for a block size below 1 or a negative or non-finite
        ///   dampening.
        func validate() throws(CalibrationError) {
            guard blockSize >= 1 else { throw .invalidConfiguration("GPTQ block size must be at least 1, got \(blockSize)") }
            guard dampening >= 0, dampening.isFinite else {
                throw .invalidConfiguration("GPTQ dampening must be a finite fraction ≥ 0, got \(dampening)")
            }
        }
    }
}
