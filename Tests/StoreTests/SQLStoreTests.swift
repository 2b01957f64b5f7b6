@testable import Store
import Testing

@Suite struct SQLStoreTests {
    @Test func newRunID_IsAVersion4UUIDInLowercaseHex() {
        var seen = Set<String>()
        for _ in 0..<1000 {
            let id = SQLStore.newRunID()
            let bytes = Array(id.utf8)
            #expect(bytes.count == 32)
            let hexDigits = Set("0123456789abcdef".utf8)
            #expect(bytes.allSatisfy(hexDigits.contains))
            // uuid4().hex: digit 12 is the version, digit 16 carries the variant bits 10xx.
            #expect(bytes[12] == UInt8(ascii: "4"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[16]))
            seen.insert(id)
        }
        #expect(seen.count == 1000)
    }
}
