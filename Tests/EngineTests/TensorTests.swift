import Engine
import Testing

@Suite struct TensorTests {
    @Test func reshape_SharesElements_AndChecksCount() {
        let t = Tensor(shape: [2, 3], values: [1, 2, 3, 4, 5, 6])
        let r = t.reshaped([3, 2])
        #expect(r.shape == [3, 2])
        #expect(r[2, 1] == 6)
        #expect(r.values == t.values)
    }

    @Test func rows_IsAViewWithOffset() {
        let t = Tensor(shape: [3, 2], values: [1, 2, 3, 4, 5, 6])
        let view = t.rows(1 ..< 3)
        #expect(view.shape == [2, 2])
        #expect(view.values == [3, 4, 5, 6])
        #expect(view[0, 1] == 4)
        #expect(view == Tensor(shape: [2, 2], values: [3, 4, 5, 6]))
    }

    @Test func mutatingAView_DetachesFromOriginal() {
        let t = Tensor(shape: [2, 2], values: [1, 2, 3, 4])
        var view = t.rows(1 ..< 2)
        view.withUnsafeMutableBufferPointer { $0[0] = 9 }
        #expect(view.values == [9, 4])
        #expect(t.values == [1, 2, 3, 4])
    }

    @Test func asMatrix_FlattensTrailingDimensions() {
        let t = Tensor(zeros: [4, 2, 3])
        #expect(t.asMatrix().shape == [4, 6])
        #expect(t.count == 24 && t.rank == 3)
    }
}
