import Engine
import Testing

@Suite struct BitPackingTests {
    @Test(arguments: [2, 3, 4, 5, 6, 8])
    func packThenUnpack_RoundTrips(_ bits: Int) {
        var rng = SplitMix64(seed: UInt64(bits))
        for count in [0, 1, 7, 8, 9, 31, 100] {
            let codes = (0 ..< count).map { _ in UInt8.random(in: 0 ... UInt8((1 << bits) - 1), using: &rng) }
            let packed = BitPacking.pack(codes, bits: bits)
            #expect(packed.count == (count * bits + 7) / 8)
            #expect(BitPacking.unpack(packed, bits: bits, count: count) == codes)
        }
    }

    @Test func layout_IsLSBFirst() {
        #expect(BitPacking.pack([0x1, 0x2, 0x3], bits: 4) == [0x21, 0x03])
        #expect(BitPacking.pack([1, 2, 3, 0], bits: 2) == [0b00_11_10_01])
        // Eight 3-bit codes 0…7 → bit stream 000 001 010 011 100 101 110 111 read from the low end.
        #expect(BitPacking.pack([0, 1, 2, 3, 4, 5, 6, 7], bits: 3) == [0b10_001_000, 0b1_100_011_0, 0b111_110_10])
    }
}
