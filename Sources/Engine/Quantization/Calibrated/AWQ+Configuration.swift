extension AWQ {
    /// Settings of one AWQ run (QUANT_SPEC §7.2).
    public struct Configuration: Sendable, Hashable {
        /// The scale exponent α runs over 0, 1/gridPoints, …, (gridPoints − 1)/gridPoints.
        public var gridPoints: Int
        /// After the scale search, pick each block's clip by layer-output error.
        public var searchClip: Bool
        /// Clip values tried per block, as fractions of the block's range (the reference: 1.0, 0.95, …, 0.55).
        public var clipRatios: ClipSearch

        /// The reference defaults: 20 values of α, clip search over max·(1 − i/20), i = 0 … 9.
        public init(gridPoints: Int = 20, searchClip: Bool = true, clipRatios: ClipSearch = ClipSearch(low: 55, high: 101, step: 5)) {
            self.gridPoints = gridPoints
            self.searchClip = searchClip
            self.clipRatios = clipRatios
        }

        /// - Throws: `CalibrationError.invalidConfiguration` when the α grid is empty.
        func validate() throws(CalibrationError) {
            guard gridPoints >= 1 else { throw .invalidConfiguration("AWQ needs at least one grid point, got \(gridPoints)") }
        }
    }
}
