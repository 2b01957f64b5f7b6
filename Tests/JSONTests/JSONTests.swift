import JSON
import Testing

/// The JSON module: used for MLflow request and response bodies and for the Engine's file formats.
@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let value = try JSONParser.parse(#"{"a": 1, "b": -2.5e3, "c": "x\"y\u00e9\n", "d": [true, false, null], "e": {}, "big": 9223372036854775807}"#)
        #expect(value["a"] == .int(1))
        #expect(value["b"] == .double(-2500))
        #expect(value["c"] == .string("x\"yé\n"))
        #expect(value["d"] == [true, false, nil])
        #expect(value["e"] == .object(JSONObject()))
        #expect(value["big"] == .int(Int64.max))
    }

    /// Integers of up to 18 digits are accumulated while scanning; longer ones go through Int64(String) or Double.
    @Test func parsesIntegersAtEveryLength() throws {
        let cases: [(String, JSONValue)] = [
            ("0", .int(0)), ("-0", .int(0)), ("7", .int(7)), ("-12", .int(-12)), ("1732400000000", .int(1_732_400_000_000)),
            ("999999999999999999", .int(999_999_999_999_999_999)), ("-999999999999999999", .int(-999_999_999_999_999_999)),
            ("1000000000000000000", .int(1_000_000_000_000_000_000)), ("9223372036854775807", .int(Int64.max)),
            ("-9223372036854775808", .int(Int64.min)), ("9223372036854775808", .double(9_223_372_036_854_775_808)),
            ("12345678901234567890123", .double(1.2345678901234568e22)), ("15.0", .double(15)), ("2e3", .double(2000)),
        ]
        for (text, expected) in cases {
            #expect(try JSONParser.parse("[\(text)]") == [expected], "\(text)")
        }
    }

    @Test func acceptsNonFiniteLiteralsAndStrings() throws {
        let value = try JSONParser.parse(#"[NaN, Infinity, -Infinity, "NaN", "-Infinity", "12"]"#)
        let numbers = value.arrayValue!.map { $0.doubleValue! }
        #expect(numbers[0].isNaN && numbers[3].isNaN)
        #expect(numbers[1] == .infinity && numbers[2] == -.infinity && numbers[4] == -.infinity)
        #expect(value.arrayValue![5].int64Value == 12)
        // Numeric strings are decimal, as Python's float() reads them: no hexadecimal.
        #expect(JSONValue.string("1.5e3").doubleValue == 1500)
        #expect(JSONValue.string("0x10").doubleValue == nil)
        #expect(JSONValue.string("0X1p3").doubleValue == nil)
    }

    @Test func decodesSurrogatePairs() throws {
        #expect(try JSONParser.parse(#""\ud83d\ude00""#) == .string("😀"))
        #expect(throws: JSONParseError.self) { try JSONParser.parse(#""\ud83d""#) }
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\" 1}", "01", "1.", "-", "tru", "\"\u{1}\"", "[1] x", "{\"a\":1,}", "\"\\x\"", "1 2", "\"abc",
        "\"\\ud800\"",
    ])
    func rejectsMalformedDocuments(text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(text) }
    }

    @Test func stringsAreValidatedUTF8_ASCIIOrNot() throws {
        let quote = UInt8(ascii: "\"")
        #expect(try JSONParser.parse([quote] + Array("plain ascii".utf8) + [quote]) == .string("plain ascii"))
        #expect(try JSONParser.parse([quote] + Array("café 😀".utf8) + [quote]) == .string("café 😀"))
        for invalid: [UInt8] in [[0xFF], [0xC3], [0x61, 0xC3, 0x28], [0xED, 0xA0, 0x80], [0xC0, 0xAF]] {
            #expect(throws: JSONParseError.self) { try JSONParser.parse([quote] + invalid + [quote]) }
        }
    }

    @Test func rejectsExcessiveNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    @Test func encodesCompactly_WithMLflowNonFiniteStrings() {
        let value: JSONValue = ["s": "a\"b\n\u{1}", "i": 5, "d": 0.5, "n": .double(.nan), "inf": .double(-.infinity), "arr": [1, nil]]
        #expect(value.encodedString() == #"{"s":"a\"b\n\u0001","i":5,"d":0.5,"n":"NaN","inf":"-Infinity","arr":[1,null]}"#)
    }

    @Test func encodesIntegerExtremesAndEscapesLongStrings() {
        let value: JSONValue = [
            "ints": [.int(0), .int(-1), .int(42), .int(Int64.max), .int(Int64.min)],
            // Longer than a small string, so the contiguous fast path is taken and must still escape.
            "long": "a quite long run name that needs \"escaping\" and a tab\there",
            "plain": "a quite long run name with nothing to escape, ünïcödé included",
        ]
        #expect(
            value.encodedString()
                == #"{"ints":[0,-1,42,9223372036854775807,-9223372036854775808],"#
                + #""long":"a quite long run name that needs \"escaping\" and a tab\there","#
                + #""plain":"a quite long run name with nothing to escape, ünïcödé included"}"#)
    }

    @Test func encodeThenParse_RoundTrips() throws {
        let value: JSONValue = ["k": ["nested": [1, 2.25, "três", true]], "e": "", "neg": -7]
        #expect(try JSONParser.parse(value.encoded()) == value)
    }

    /// JSONWriter writes the same text as encoding the equivalent tree: commas between members and elements,
    /// none after keys or opening brackets, empty containers, nesting of arrays in arrays and objects in arrays.
    @Test func writer_MatchesTheTreeEncoding() {
        var w = JSONWriter()
        w.openObject()
        w.key("a")
        w.int(-12)
        w.key("b")
        w.openArray()
        w.openArray()
        w.closeArray()
        w.openArray()
        w.double(.nan)
        w.double(0.1)
        w.closeArray()
        w.openObject()
        w.closeObject()
        w.openObject()
        w.key("s")
        w.string("q\"\n")
        w.closeObject()
        w.closeArray()
        w.key("c")
        w.openObject()
        w.closeObject()
        w.key("d")
        w.double(.infinity)
        w.member("e", "t")
        w.member("f", Int64(3))
        w.member("g", -1.5)
        w.closeObject()
        let tree: JSONValue = [
            "a": -12, "b": [[], [.double(.nan), 0.1], [:], ["s": "q\"\n"]], "c": [:], "d": .double(.infinity),
            "e": "t", "f": 3, "g": -1.5,
        ]
        #expect(w.bytes == tree.encoded())
        #expect(
            String(decoding: w.bytes, as: UTF8.self)
                == #"{"a":-12,"b":[[],["NaN",0.1],{},{"s":"q\"\n"}],"c":{},"d":"Infinity","e":"t","f":3,"g":-1.5}"#)

        var top = JSONWriter()
        top.openArray()
        top.string("x")
        top.int(1)
        top.closeArray()
        #expect(top.bytes == Array(#"["x",1]"#.utf8))
    }
}
