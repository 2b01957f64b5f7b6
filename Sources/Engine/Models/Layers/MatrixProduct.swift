/// Float32 matrix products through OpenBLAS's `cblas_sgemm`, on row-major tensors.
public enum MatrixProduct {
    /// `a · bᵀ` for `a: [m, k]` and `b: [n, k]`, the layout of PyTorch `nn.Linear` weights.
    public static func multiply(_ a: Tensor, transposed b: Tensor) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[1],
                     "MatrixProduct: \(a.shape) · \(b.shape)ᵀ does not conform")
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[0])
        var out = Tensor(zeros: [m, n])
        guard m > 0, n > 0, k > 0 else { return out }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    gemm(transposeB: true, m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: k,
                         beta: 0, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }

    /// `a · b` for `a: [m, k]` and `b: [k, n]`.
    public static func multiply(_ a: Tensor, _ b: Tensor) -> Tensor {
        precondition(a.rank == 2 && b.rank == 2 && a.shape[1] == b.shape[0],
                     "MatrixProduct: \(a.shape) · \(b.shape) does not conform")
        let (m, k, n) = (a.shape[0], a.shape[1], b.shape[1])
        var out = Tensor(zeros: [m, n])
        guard m > 0, n > 0, k > 0 else { return out }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                out.withUnsafeMutableBufferPointer { pc in
                    gemm(transposeB: false, m: m, n: n, k: k, a: pa.baseAddress!, lda: k, b: pb.baseAddress!, ldb: n,
                         beta: 0, c: pc.baseAddress!, ldc: n)
                }
            }
        }
        return out
    }

    /// `c = a · op(b) + beta · c` on raw row-major storage with explicit leading dimensions, so that callers can
    /// address column blocks (attention heads) in place. `op(b)` is `bᵀ` when `transposeB`.
    static func gemm(transposeB: Bool, m: Int, n: Int, k: Int,
                     a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        ForwardObservation.current?.matrixProduct(m: m, n: n, k: k)
        OpenBLAS.sgemm(OpenBLAS.rowMajor, OpenBLAS.noTrans, transposeB ? OpenBLAS.trans : OpenBLAS.noTrans,
                       Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
    }
}
