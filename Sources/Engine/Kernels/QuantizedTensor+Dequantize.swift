extension QuantizedTensor {
    /// Dequantizes every element to Float32 (QUANT_SPEC §0 "Fake quantization": x̂ = s·g, or s·(q − z)).
    public func dequantize(threads: Int = Parallel.coreCount) -> Tensor {
        guard count > 0 else { return Tensor(zeros: shape) }
        let decoder = RowDecoder(self)
        let columns = self.columns
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            let shared = SharedPointer(base: base)
            Parallel.forEachChunk(rows, threads: threads, minimumChunk: max(1, 16_384 / max(columns, 1))) { range in
                for r in range { decoder.decode(row: r, into: shared.base + r * columns) }
            }
        }
        return Tensor(shape: shape, values: values)
    }
}
