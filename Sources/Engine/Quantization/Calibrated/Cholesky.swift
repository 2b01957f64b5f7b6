/// Cholesky factorisation of symmetric positive definite Float64 matrices (row-major), blocked so that OpenBLAS
/// (`dtrsm`, `dsyrk`) does the O(n³) work; the Debian OpenBLAS headers expose CBLAS only, not LAPACK's `dpotrf`.
enum Cholesky {
    /// Columns per diagonal block factored in Swift; everything else is BLAS level 3.
    static let panelWidth = 64

    /// Overwrites `a` (n×n, row-major, symmetric) with its lower factor L (A = L·Lᵀ, upper triangle zeroed).
    /// Returns false when A is not (numerically) positive definite.
    static func factorLower(_ a: UnsafeMutablePointer<Double>, n: Int) -> Bool {
        var k0 = 0
        while k0 < n {
            let kb = min(panelWidth, n - k0)
            // Diagonal block, already reduced by the previous panels' syrk updates.
            for j in k0 ..< k0 + kb {
                var d = a[j * n + j]
                for p in k0 ..< j { d -= a[j * n + p] * a[j * n + p] }
                guard d > 0, d.isFinite else { return false }
                let pivot = d.squareRoot()
                a[j * n + j] = pivot
                for i in j + 1 ..< k0 + kb {
                    var s = a[i * n + j]
                    for p in k0 ..< j { s -= a[i * n + p] * a[j * n + p] }
                    a[i * n + j] = s / pivot
                }
            }
            let rest = n - k0 - kb
            if rest > 0 {
                // Panel below the block: P ← P · L_kk⁻ᵀ; trailing matrix: T ← T − P·Pᵀ (lower half).
                OpenBLAS.dtrsm(OpenBLAS.rowMajor, OpenBLAS.right, OpenBLAS.lower, OpenBLAS.trans, OpenBLAS.nonUnit, Int32(rest), Int32(kb), 1,
                               a + k0 * n + k0, Int32(n), a + (k0 + kb) * n + k0, Int32(n))
                OpenBLAS.dsyrk(OpenBLAS.rowMajor, OpenBLAS.lower, OpenBLAS.noTrans, Int32(rest), Int32(kb), -1,
                               a + (k0 + kb) * n + k0, Int32(n), 1, a + (k0 + kb) * n + k0 + kb, Int32(n))
            }
            k0 += kb
        }
        for i in 0 ..< n {
            for j in i + 1 ..< n { a[i * n + j] = 0 }
        }
        return true
    }

    /// The upper triangular U with positive diagonal such that UᵀU = A⁻¹, the factor GPTQ works with (§7.1).
    ///
    /// Reversing rows and columns (J·A·J, J the exchange matrix) and factoring J·A·J = M·Mᵀ gives A = V·Vᵀ with
    /// V = J·M·J upper triangular, hence A⁻¹ = V⁻ᵀ·V⁻¹ and U = V⁻¹ = J·M⁻¹·J: one factorisation and one triangular
    /// solve, without forming A⁻¹.
    /// - Returns: U (n×n row-major), or nil when A is not positive definite.
    static func upperFactorOfInverse(_ a: [Double], n: Int) -> [Double]? {
        precondition(a.count == n * n, "Cholesky: \(a.count) values for \(n)×\(n)")
        // Reversing both indices of a row-major matrix reverses its storage.
        var m = Array(a.reversed())
        var inverse = [Double](repeating: 0, count: n * n)
        for i in 0 ..< n { inverse[i * n + i] = 1 }
        let factored = m.withUnsafeMutableBufferPointer { pm -> Bool in
            guard factorLower(pm.baseAddress!, n: n) else { return false }
            // M⁻¹ from M·X = I.
            inverse.withUnsafeMutableBufferPointer { px in
                OpenBLAS.dtrsm(OpenBLAS.rowMajor, OpenBLAS.left, OpenBLAS.lower, OpenBLAS.noTrans, OpenBLAS.nonUnit, Int32(n), Int32(n), 1,
                               pm.baseAddress!, Int32(n), px.baseAddress!, Int32(n))
            }
            return true
        }
        guard factored else { return nil }
        return Array(inverse.reversed())
    }
}
