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

@Suite struct NearestIndexTableTests {
    @Test func tablePath_AgreesWithBinarySearch_IncludingTies() throws {
        var rng = SplitMix64(seed: 41)
        for name in ["int4", "int8", "uint8", "pot4", "flint4", "uflint6", "e2m1", "ue3m1", "e3m2", "int3-sym"] {
            let grid = try ElementType(name: name).grid
            #expect(grid.table != nil, "\(name) should have a lookup table")
            var probes = grid.midpoints + grid.values + grid.midpoints.map { $0.nextDown } + [-.infinity, .infinity, 1e30, -1e30]
            probes += (0 ..< 300).map { _ in Float.random(in: -1.5 ..< 1.5, using: &rng) * grid.maxMagnitude }
            for x in probes { #expect(grid.nearestIndex(x) == grid.searchIndex(x), "\(name) at \(x)") }
        }
        // Wide float grids fall back to the search.
        #expect(try ElementType(name: "e5m2").grid.table == nil)
    }
}
