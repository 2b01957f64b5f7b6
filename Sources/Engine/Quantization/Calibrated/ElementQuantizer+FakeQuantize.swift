extension ElementQuantizer {
    /// x̂ = s·g (or s·(q − z) for asymmetric int) for one value of a block quantized with `choice`.
    ///
    /// Divides by the scale exactly as `Quantizer.encode` does, so re-encoding x̂ with the same choice gives back
    /// the same codes (the calibrated methods fake-quantize first and pack at the end).
    @inline(__always)
    func fakeQuantize(_ x: Float, _ choice: BlockChoice) -> Float {
        let v = x / choice.scale
        if isAsymmetric {
            return (asymmetricCode(scaled: v, zeroPoint: choice.zeroPoint) - choice.zeroPoint) * choice.scale
        }
        return quantize(scaled: v).value * choice.scale
    }
}
