import JSON
import Engine
import Testing

@Suite struct ByteLevelBPETokenizerTests {
    static func loadFixtureTokenizer() throws -> ByteLevelBPETokenizer {
        try ByteLevelBPETokenizer(vocabularyPath: ModelFixtures.fixture("gpt2-bpe/vocab.json"),
                                  mergesPath: ModelFixtures.fixture("gpt2-bpe/merges.txt"))
    }

    static func pieces(_ text: String) -> [String] { GPT2PreTokenizer.split(text).map { String($0) } }

    @Test func byteToUnicode_IsGPT2Table() {
        let table = ByteLevelBPETokenizer.byteToUnicode
        #expect(Set(table).count == 256)
        #expect(table[Int(UInt8(ascii: "A"))] == "A")
        #expect(table[32] == "Ġ")    // space → U+0120
        #expect(table[10] == "Ċ")    // newline → U+010A
        #expect(table[0] == "Ā")     // first remapped byte → U+0100
        #expect(table[173] == "Ń")   // soft hyphen, the last of the 68 remapped bytes → U+0100 + 67
    }

    @Test func preTokenizer_SplitsLikeGPT2Pattern() {
        #expect(Self.pieces("Hello world") == ["Hello", " world"])
        #expect(Self.pieces("a   b") == ["a", "  ", " b"])
        #expect(Self.pieces("I'm here, aren't you?") == ["I", "'m", " here", ",", " aren", "'t", " you", "?"])
        #expect(Self.pieces("DON'T") == ["DON", "'", "T"])  // the pattern's contractions are lowercase only
        #expect(Self.pieces("abc123 4.5") == ["abc", "123", " 4", ".", "5"])
        #expect(Self.pieces("x\n\ny ") == ["x", "\n", "\n", "y", " "])
        #expect(Self.pieces("end  ") == ["end", "  "])
        #expect(Self.pieces("emoji🙂x") == ["emoji", "🙂", "x"])
    }

    @Test func preTokenizer_PiecesConcatenateToTheInput() {
        let text = "  Mixed\t\twhite\u{00A0}space 🙂🙂 ok?!  \n"
        #expect(Self.pieces(text).joined() == text)
    }

    @Test func fixture_MatchesHuggingFaceIdsOnAwkwardText() throws {
        let tokenizer = try Self.loadFixtureTokenizer()
        let json = try ModelFiles.readJSON(ModelFixtures.fixture("gpt2-bpe/reference.json"))
        let texts = try #require(json["texts"]?.arrayValue).map { try #require($0.stringValue) }
        let ids = try #require(json["token_ids"]?.arrayValue).map { row in
            try #require(row.arrayValue).map { Int32(try #require($0.integerValue)) }
        }
        #expect(texts.count >= 70 && tokenizer.vocabularySize == 2048)
        for (text, expected) in zip(texts, ids) {
            let got = tokenizer.encode(text)
            #expect(got == expected, "\(text)")
            #expect(tokenizer.decode(got) == text)
        }
    }

    @Test func init_RejectsMergeOfUnknownToken() throws {
        var members: [(String, JSONValue)] = ByteLevelBPETokenizer.byteToUnicode.enumerated().map { (String($1), .int(Int64($0))) }
        members.append(("ab", .int(256)))
        let vocabulary = JSONValue.object(JSONObject(members))
        #expect(throws: ModelError.self) { try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: ["a c"]) }
        let tokenizer = try ByteLevelBPETokenizer(vocabulary: vocabulary, merges: ["#version: 0.2", "a b"])
        #expect(tokenizer.encode("abab") == [256, 256])
    }
}
