import Engine
import Testing

@Suite struct JSONValueTests {
    @Test func parse_ThenSerialize_RoundTrips() throws {
        let text = #"{"a":[1,-2,3.5,true,false,null],"b":{"c":"x\"y\\z\n\u00e9"}}"#
        let value = try JSONValue.parse(text)
        #expect(value["a"]?.arrayValue?.count == 6)
        #expect(value["a"]?.arrayValue?[1] == .integer(-2))
        #expect(value["b"]?["c"]?.stringValue == "x\"y\\z\né")
        #expect(try JSONValue.parse(value.serialized) == value)
    }

    @Test func parse_DecodesSurrogatePairs() throws {
        #expect(try JSONValue.parse(#""\ud83d\ude00""#).stringValue == "😀")
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\" 1}", "tru", "1 2", "\"abc", "{\"a\":1,}", "\"\\ud800\""])
    func parse_Throws_OnMalformedText(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(text) }
    }

    @Test func parse_Throws_OnExcessiveNesting() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(deep) }
    }
}
