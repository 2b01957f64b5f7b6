@testable import Store
import Testing

@Suite struct SQLStoreTests {
    @Test func newRunID_IsAVersion7UUIDInLowercaseHex_OrderedByTime() {
        var seen = Set<String>()
        let before = WallClock.nowMilliseconds()
        var previousMilliseconds: UInt64 = 0
        for _ in 0..<1000 {
            let id = SQLStore.newRunID()
            let bytes = Array(id.utf8)
            #expect(bytes.count == 32)
            let hexDigits = Set("0123456789abcdef".utf8)
            #expect(bytes.allSatisfy(hexDigits.contains))
            // Digit 12 is the version, digit 16 carries the variant bits 10xx; digits 0–11 are the time in ms.
            #expect(bytes[12] == UInt8(ascii: "7"))
            let milliseconds = UInt64(id.prefix(12), radix: 16)!
            #expect(milliseconds >= UInt64(before) && milliseconds <= UInt64(WallClock.nowMilliseconds()))
            #expect(milliseconds >= previousMilliseconds)
            previousMilliseconds = milliseconds
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[16]))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }
}
