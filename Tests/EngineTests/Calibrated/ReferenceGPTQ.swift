#if canImport(Glibc)
import Glibc
#endif

/// A straightforward Float64 GPTQ written from the paper's Algorithm 1 (QUANT_SPEC §7.1) for the tests, sharing no
/// code with the engine: explicit inverse by Gauss–Jordan, Cholesky of the inverse by the textbook recurrence, every
/// column's error applied at once to all later columns (no lazy blocks). The quantizer is the spec's asymmetric
/// min-max int (s = (max − min)/(2^b − 1), z = round(−min/s), min ≤ 0 ≤ max), computed in Float32 as the spec writes
/// it so that rounding decisions can be compared exactly.
enum ReferenceGPTQ {
    struct Settings {
        var bits = 4
        /// Columns per group, or nil for one scale per row.
        var group: Int?
        var actOrder = false
        /// Group scales fitted on the original weight instead of when the group is reached.
        var staticGroups = false
        var dampening = 0.01
    }

    /// Returns the fake-quantized `[rows][columns]` weight.
    static func quantize(weight: [[Float]], inputs: [[Float]], settings: Settings) -> [[Double]] {
        let rows = weight.count
        let columns = weight[0].count
        var h = [[Double]](repeating: [Double](repeating: 0, count: columns), count: columns)
        for x in inputs {
            for i in 0 ..< columns {
                for j in 0 ..< columns { h[i][j] += 2 * Double(x[i]) * Double(x[j]) / Double(inputs.count) }
            }
        }
        var w = weight.map { $0.map(Double.init) }
        let width = settings.group ?? columns
        // Parameters fitted up front come from the original weight.
        var params = [[(scale: Float, zero: Float)]](repeating: [], count: rows)
        for r in 0 ..< rows {
            params[r] = stride(from: 0, to: columns, by: width).map { fit(Array(weight[r][$0 ..< $0 + width]), bits: settings.bits) }
        }
        for j in 0 ..< columns where h[j][j] == 0 {
            h[j][j] = 1
            for r in 0 ..< rows { w[r][j] = 0 }
        }
        var order = Array(0 ..< columns)
        if settings.actOrder { order.sort { h[$0][$0] != h[$1][$1] ? h[$0][$0] > h[$1][$1] : $0 < $1 } }
        var hp = h
        for a in 0 ..< columns {
            for b in 0 ..< columns { hp[a][b] = h[order[a]][order[b]] }
        }
        let mean = (0 ..< columns).reduce(0.0) { $0 + hp[$1][$1] } / Double(columns)
        for j in 0 ..< columns { hp[j][j] += settings.dampening * mean }
        let u = upperCholesky(inverse(hp))
        var q = [[Double]](repeating: [Double](repeating: 0, count: columns), count: rows)
        for p in 0 ..< columns {
            let original = order[p]
            let refit = settings.group != nil && !settings.staticGroups && !settings.actOrder && original % width == 0
            for r in 0 ..< rows {
                if refit { params[r][original / width] = fit((original ..< original + width).map { Float(w[r][$0]) }, bits: settings.bits) }
                let (scale, zero) = params[r][original / width]
                let value = Float(w[r][original])
                let code = min(max((value / scale).rounded(.toNearestOrEven) + zero, 0), Float((1 << settings.bits) - 1))
                let rounded = Double((code - zero) * scale)
                q[r][original] = rounded
                let e = (w[r][original] - rounded) / u[p][p]
                for later in p + 1 ..< columns { w[r][order[later]] -= e * u[p][later] }
            }
        }
        return q
    }

    static func fit(_ values: [Float], bits: Int) -> (scale: Float, zero: Float) {
        let low = min(values.min()!, 0)
        let high = max(values.max()!, 0)
        if low == 0 && high == 0 { return (1, 0) }
        let scale = (high - low) / Float((1 << bits) - 1)
        return (scale, (-low / scale).rounded(.toNearestOrEven))
    }

    /// Gauss–Jordan with partial pivoting.
    static func inverse(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var m = a
        var inv = (0 ..< n).map { i in (0 ..< n).map { $0 == i ? 1.0 : 0.0 } }
        for col in 0 ..< n {
            let pivot = (col ..< n).max { abs(m[$0][col]) < abs(m[$1][col]) }!
            m.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let d = m[col][col]
            for k in 0 ..< n {
                m[col][k] /= d
                inv[col][k] /= d
            }
            for r in 0 ..< n where r != col {
                let f = m[r][col]
                if f == 0 { continue }
                for k in 0 ..< n {
                    m[r][k] -= f * m[col][k]
                    inv[r][k] -= f * inv[col][k]
                }
            }
        }
        return inv
    }

    /// U upper with UᵀU = a (U = Lᵀ of the lower factor a = L·Lᵀ).
    static func upperCholesky(_ a: [[Double]]) -> [[Double]] {
        let n = a.count
        var l = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0 ..< n {
            for j in 0 ... i {
                var s = a[i][j]
                for k in 0 ..< j { s -= l[i][k] * l[j][k] }
                l[i][j] = i == j ? s.squareRoot() : s / l[j][j]
            }
        }
        return (0 ..< n).map { i in (0 ..< n).map { j in l[j][i] } }
    }
}
