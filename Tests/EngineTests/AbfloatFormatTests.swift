import Engine
import Testing

@Suite struct AbfloatFormatTests {
    @Test func besideInt4_IsE2M1Bias2() {
        let f = OliveFormat(normal: .int4).outlierType
        #expect(f.bias == 2 && f.exponentBits == 2 && f.mantissaBits == 1)
        #expect(f.magnitudes == [12, 16, 24, 32, 48, 64, 96])
    }

    @Test func besideFlint4_IsE2M1Bias3() {
        let f = OliveFormat(normal: .flint4).outlierType
        #expect(f.bias == 3)
        #expect(f.magnitudes == [24, 32, 48, 64, 96, 128, 192])
    }

    @Test func eightBit_E2M5_MatchesReferenceCode() {
        let f = OliveFormat(normal: .int8, abfloat8: .e2m5).outlierType
        let expected = stride(from: 132, through: 252, by: 4).map { Float($0) } + stride(from: 256, through: 504, by: 8).map { Float($0) }
            + stride(from: 512, through: 1008, by: 16).map { Float($0) } + stride(from: 1024, through: 2016, by: 32).map { Float($0) }
        #expect(f.magnitudes == expected)
    }

    @Test func eightBit_E4M3_StartsAboveInt8() {
        let f = OliveFormat(normal: .int8, abfloat8: .e4m3).outlierType
        #expect(f.bias == 4)
        #expect(f.magnitudes.first == 144)
        #expect(f.magnitudes.count == 127)
    }

    @Test func identifierCode_IsNeverAnOutlierValue() {
        let f = OliveFormat(normal: .int4).outlierType
        #expect(f.value(code: 0b1000) == nil)
        #expect(f.value(code: 0b0000) == nil)
        #expect(f.value(code: 0b0100) == 32)
        #expect(f.value(code: 0b1101) == -48)
    }
}
