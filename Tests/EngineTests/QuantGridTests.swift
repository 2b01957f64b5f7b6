@testable import Engine
import Testing

@Suite struct QuantGridTests {
    @Test func round_TiesGoToLargerValue() throws {
        let grid = try ElementType(name: "int4-sym").grid
        #expect(grid.round(2.5) == 3)
        #expect(grid.round(-2.5) == -2)
        #expect(grid.round(2.49) == 2)
        #expect(grid.round(100) == 7)
        #expect(grid.round(-100) == -7)
        let pot = try ElementType(name: "pot4").grid
        #expect(pot.round(3) == 4)
        #expect(pot.round(-3) == -2)
        #expect(pot.round(0.5) == 1)
        #expect(pot.round(0.49) == 0)
    }

    @Test func round_MatchesBruteForceNearest() throws {
        var rng = SplitMix64(seed: 3)
        for name in ["flint4", "ue3m1", "pot5", "e2m3", "int6"] {
            let grid = try ElementType(name: name).grid
            for _ in 0 ..< 500 {
                let x = Float.random(in: -1.2 ..< 1.2, using: &rng) * grid.maxMagnitude
                // Reference: ascending scan with `<=` keeps the last (largest) of equally near points.
                var best = grid.values[0]
                for g in grid.values where abs(g - x) <= abs(best - x) { best = g }
                #expect(grid.round(x) == best, "\(name) at \(x)")
            }
        }
    }

    @Test func halfToEven_OnUniformIntPath() throws {
        let q = ElementQuantizer(type: try ElementType(name: "int4"), rounding: .halfToEven)
        #expect(q.quantize(scaled: 2.5).value == 2)
        #expect(q.quantize(scaled: 3.5).value == 4)
        #expect(q.quantize(scaled: -2.5).value == -2)
        #expect(q.quantize(scaled: -9).value == -8)
        #expect(q.quantize(scaled: -1).code == 0b1111)
        let grid = ElementQuantizer(type: try ElementType(name: "int4"), rounding: .nearestTiesToLarger)
        #expect(grid.quantize(scaled: 2.5).value == 3)
    }
}
