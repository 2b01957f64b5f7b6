@testable import Engine
import Testing

/// Exact value sets of QUANT_SPEC §1.
@Suite struct ElementTypeTests {
    private func values(_ name: String) throws -> [Float] { try ElementType(name: name).grid.values }

    private func magnitudes(_ name: String) throws -> [Float] {
        Array(Set(try values(name).map { abs($0) })).sorted()
    }

    private func range(_ lo: Int, _ hi: Int) -> [Float] { (lo ... hi).map { Float($0) } }

    @Test func intGrids_MatchSpec() throws {
        #expect(try values("uint4") == range(0, 15))
        #expect(try values("int4") == range(-8, 7))
        #expect(try values("int4-sym") == range(-7, 7))
        #expect(try values("int8-sym") == range(-127, 127))
        #expect(try values("int8") == range(-128, 127))
        #expect(try values("int2") == range(-2, 1))
        #expect(try values("int3-sym") == range(-3, 3))
        #expect(try values("int4-asym") == range(0, 15))
        // The symmetric variant never writes 10…0 (OliVe's identifier): −7 is stored as 1001.
        let sym = try ElementType(name: "int4-sym").grid
        #expect(sym.codes[0] == 0b1001)
        #expect(sym.codes[sym.values.firstIndex(of: 0)!] == 0)
    }

    @Test func potGrids_MatchSpec() throws {
        #expect(try values("upot4") == [0] + (0 ... 14).map { Float(1 << $0) })
        #expect(try magnitudes("pot4") == [0, 1, 2, 4, 8, 16, 32, 64])
        #expect(try values("pot3") == [-4, -2, -1, 0, 1, 2, 4])
        #expect(try values("pot2") == [-1, 0, 1])
        #expect(throws: FormatError.unrepresentable("upot8")) { try ElementType(name: "upot8") }
    }

    @Test func floatGrids_MatchSpecTable() throws {
        #expect(try magnitudes("e3m0") == [0, 1, 2, 4, 8, 16, 32, 64])
        #expect(try values("e3m0") == values("pot4"))
        #expect(try magnitudes("e2m1") == [0, 0.5, 1, 1.5, 2, 3, 4, 6])
        #expect(try magnitudes("e1m2") == [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75])
        #expect(try values("ue3m1") == [0, 0.5, 1, 1.5, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96])
        #expect(try values("ue2m2") == [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5, 4, 5, 6, 7])
        #expect(try values("ue4m0") == values("upot4"))
        let e3m2 = try magnitudes("e3m2")
        #expect(e3m2.count == 32)
        #expect(Array(e3m2.prefix(12)) == [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2, 2.5, 3, 3.5])
        #expect(Array(e3m2[12 ..< 20]) == [4, 5, 6, 7, 8, 10, 12, 14])
        #expect(e3m2.last == 112)
        let ue3m3 = try values("ue3m3")
        #expect(ue3m3.count == 64 && ue3m3.first == 0 && ue3m3.last == 120)
        #expect(try ElementType(name: "e4m3").grid.maxValue == 16384 * 1.875) // no inf/NaN codes (§1.3)
        #expect(try values("e5m2").count == 255)
    }

    @Test func everyFloatSplit_From4To8Bits_HasDistinctCodes() throws {
        for bits in 4 ... 8 {
            for e in 1 ... bits - 1 {
                let signed = try ElementType(.float(exponentBits: e), bits: bits, signed: true)
                #expect(signed.grid.values.count == (1 << bits) - 1, "\(signed)") // ±0 share one value
            }
            for e in 1 ... bits where !(bits == 8 && e == 8) {
                let unsigned = try ElementType(.float(exponentBits: e), bits: bits, signed: false)
                #expect(unsigned.grid.values.count == 1 << bits, "\(unsigned)")
            }
        }
        #expect(throws: FormatError.self) { try ElementType(.float(exponentBits: 0), bits: 4) }
        #expect(throws: FormatError.self) { try ElementType(.float(exponentBits: 4), bits: 4) }
    }

    @Test func flint4Unsigned_CodeAssignment_MatchesSpecTable() throws {
        let table = try ElementType(name: "uflint4").decodeTable()
        let expected: [Int: Float] = [
            0b0000: 0, 0b0001: 1, 0b0010: 2, 0b0011: 3, 0b0100: 4, 0b0101: 5, 0b0110: 6, 0b0111: 7,
            0b1100: 8, 0b1101: 10, 0b1110: 12, 0b1111: 14, 0b1010: 16, 0b1011: 24, 0b1001: 32, 0b1000: 64,
        ]
        for (code, value) in expected { #expect(table[code] == value, "code \(code)") }
    }

    @Test func flint4Signed_MagnitudeCodes_MatchSpec() throws {
        let table = try ElementType(name: "flint4").decodeTable()
        let expected: [Int: Float] = [0b000: 0, 0b001: 1, 0b010: 2, 0b011: 3, 0b110: 4, 0b111: 6, 0b101: 8, 0b100: 16]
        for (code, value) in expected {
            #expect(table[code] == value)
            #expect(table[0b1000 | code] == -value)
        }
        #expect(try magnitudes("flint4") == [0, 1, 2, 3, 4, 6, 8, 16])
        #expect(try ElementType(name: "flint4").grid.codes[7] == 0) // zero is 0000, never −0
    }

    @Test func flintOtherWidths_MatchSpecSets() throws {
        #expect(try values("uflint3") == [0, 1, 2, 3, 4, 6, 8, 16])
        #expect(try values("flint3") == [-4, -2, -1, 0, 1, 2, 4])
        let five = range(0, 15) + stride(from: 16, through: 30, by: 2).map { Float($0) } + [32, 40, 48, 56, 64, 96, 128, 256]
        #expect(try values("uflint5") == five)
        #expect(try magnitudes("flint5") == values("uflint4"))
        let six = range(0, 31) + stride(from: 32, through: 62, by: 2).map { Float($0) }
            + stride(from: 64, through: 120, by: 8).map { Float($0) } + [128, 160, 192, 224, 256, 384, 512, 1024]
        #expect(try values("uflint6") == six)
        #expect(try magnitudes("flint6") == five)
    }

    @Test func names_RoundTrip() throws {
        for name in ["int4", "int4-sym", "uint3", "int8-asym", "pot5", "upot6", "flint2", "uflint8", "e2m1", "ue3m1", "e4m3", "e5m2", "ue2m3"] {
            #expect(try ElementType(name: name).description == name)
        }
        #expect(throws: FormatError.unknownFormat("bogus4")) { try ElementType(name: "bogus4") }
        #expect(throws: FormatError.self) { try ElementType(name: "int9") }
        #expect(throws: FormatError.self) { try ElementType(name: "int1") }
    }

    @Test func antFloat_UsesE3_AndE2M0AtThreeBits() throws {
        #expect(try ElementType.antFloat(bits: 4, signed: true).description == "e3m0")
        #expect(try ElementType.antFloat(bits: 4, signed: false).description == "ue3m1")
        #expect(try ElementType.antFloat(bits: 3, signed: true).description == "e2m0")
    }
}
