/// A dense, row-major Float32 tensor. Storage is a copy-on-write array, so copies and views are cheap:
/// a view shares the storage and only records its own offset and shape.
public struct Tensor: Sendable, Equatable {
    /// The extent of each dimension, outermost first.
    public private(set) var shape: [Int]
    /// The shared backing array; the tensor's elements are `storage[offset ..< offset + count]`.
    public private(set) var storage: [Float]
    /// Index of the first element of this tensor inside `storage`.
    public private(set) var offset: Int

    /// Creates a tensor that owns `values`, interpreted with `shape`.
    public init(shape: [Int], values: [Float]) {
        precondition(shape.allSatisfy { $0 >= 0 }, "Tensor: negative dimension in \(shape)")
        precondition(Tensor.elementCount(of: shape) == values.count,
                     "Tensor: shape \(shape) needs \(Tensor.elementCount(of: shape)) values, got \(values.count)")
        self.shape = shape
        self.storage = values
        self.offset = 0
    }

    /// Creates a zero-filled tensor.
    public init(zeros shape: [Int]) {
        self.init(shape: shape, values: [Float](repeating: 0, count: Tensor.elementCount(of: shape)))
    }

    /// Number of elements.
    public var count: Int { Tensor.elementCount(of: shape) }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// The elements in row-major order (a copy only when this tensor is a view into a larger storage).
    public var values: [Float] {
        if offset == 0 && storage.count == count { return storage }
        return Array(storage[offset ..< offset + count])
    }

    /// Product of the dimensions (1 for a scalar).
    public static func elementCount(of shape: [Int]) -> Int {
        shape.reduce(1, *)
    }

    /// The same elements with another shape of equal element count; shares storage.
    public func reshaped(_ newShape: [Int]) -> Tensor {
        precondition(Tensor.elementCount(of: newShape) == count, "reshape \(shape) → \(newShape): element counts differ")
        var view = self
        view.shape = newShape
        return view
    }

    /// The view as a matrix `[shape[0], rest]`, the ANT/OliVe weight layout `[C_out, −1]` (QUANT_SPEC §0).
    public func asMatrix() -> Tensor {
        precondition(rank >= 1, "asMatrix needs at least one dimension")
        return reshaped([shape[0], Tensor.elementCount(of: Array(shape.dropFirst()))])
    }

    /// Rows `range` along the first dimension, as a view that shares storage.
    public func rows(_ range: Range<Int>) -> Tensor {
        precondition(rank >= 1 && range.lowerBound >= 0 && range.upperBound <= shape[0], "rows \(range) out of \(shape)")
        let rowSize = shape[0] == 0 ? 0 : count / shape[0]
        var view = self
        view.shape[0] = range.count
        view.offset = offset + range.lowerBound * rowSize
        return view
    }

    /// Element at a multi-index.
    public subscript(_ index: Int...) -> Float {
        storage[offset + flatIndex(index)]
    }

    private func flatIndex(_ index: [Int]) -> Int {
        precondition(index.count == shape.count, "index rank \(index.count) ≠ tensor rank \(shape.count)")
        var flat = 0
        for (i, dim) in zip(index, shape) {
            precondition(i >= 0 && i < dim, "index \(index) out of bounds for \(shape)")
            flat = flat * dim + i
        }
        return flat
    }

    /// Calls `body` with the tensor's elements.
    public func withUnsafeBufferPointer<R>(_ body: (UnsafeBufferPointer<Float>) throws -> R) rethrows -> R {
        try storage.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[offset ..< offset + count]))
        }
    }

    /// Calls `body` with mutable access to the elements; detaches shared storage first.
    public mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Float>) throws -> R) rethrows -> R {
        if offset != 0 || storage.count != count {
            storage = values
            offset = 0
        }
        return try storage.withUnsafeMutableBufferPointer { try body($0) }
    }

    /// Tensors are equal when shapes and elements are equal, whatever their storage sharing.
    public static func == (lhs: Tensor, rhs: Tensor) -> Bool {
        lhs.shape == rhs.shape && lhs.withUnsafeBufferPointer { a in rhs.withUnsafeBufferPointer { b in a.elementsEqual(b) } }
    }
}
