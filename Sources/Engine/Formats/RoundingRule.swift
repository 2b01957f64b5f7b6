/// How a scaled value snaps to an integer or grid point (QUANT_SPEC §0 "Rounding to a grid").
public enum RoundingRule: String, Sendable, Hashable {
    /// Nearest grid point, ties to the larger value (the ANT/OliVe reference kernel).
    case nearestTiesToLarger
    /// Round half to even (torch.round), the uniform-int path of HAQ/GPTQ/AWQ/SmoothQuant.
    case halfToEven
}
