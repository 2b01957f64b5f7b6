@testable import Server
import Testing

@Suite struct QueryParametersTests {
    @Test func decodesFormEncoding_PlusAsSpace_AndRepeatedKeys() throws {
        let query = try QueryParameters(decoding: "experiment_name=my+exp%2F1&experiment_ids=1&experiment_ids=2&flag&empty=")
        #expect(query["experiment_name"] == "my exp/1")
        #expect(query.all("experiment_ids") == ["1", "2"])
        #expect(query["experiment_ids"] == "1")
        #expect(query["flag"] == "")
        #expect(query["empty"] == "")
        #expect(query["missing"] == nil)
    }

    @Test func decodesUTF8PercentSequences() throws {
        #expect(try QueryParameters(decoding: "n=caf%C3%A9+%E2%9C%93")["n"] == "café ✓")
    }

    @Test(arguments: ["a=%", "a=%2", "a=%G1", "%zz=1", "a=%FF"])
    func rejectsInvalidPercentEncoding(raw: String) {
        #expect(throws: HTTPParseError.invalidPercentEncoding) { try QueryParameters(decoding: raw) }
    }

    @Test func encodeThenDecode_RoundTrips() {
        let text = "a b/c?d=e&f+g%h ü"
        #expect(PercentEncoding.decode(PercentEncoding.encode(text), plusAsSpace: true) == text)
        #expect(PercentEncoding.encode("dir/file name.txt", keepSlash: true) == "dir/file%20name.txt")
    }
}
