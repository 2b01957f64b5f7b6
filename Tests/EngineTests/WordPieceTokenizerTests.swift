import Engine
import Testing

@Suite struct WordPieceTokenizerTests {
    /// A toy vocabulary whose ids are easy to read in the expectations.
    static let toy = try! WordPieceTokenizer(vocabulary: [
        "[PAD]", "[UNK]", "[CLS]", "[SEP]", "cafe", "un", "##aff", "##able", "!", ",", "东", "京", "a", "##a", "$",
        "hello", "world", ".", "##s",
    ])

    @Test func basicTokens_LowercaseStripAccentsSplitPunctuation() {
        let words = WordPieceTokenizer.basicTokens("Héllo,  WÖRLD!\tCafé\u{0007}s $5").map { String(String.UnicodeScalarView($0)) }
        #expect(words == ["hello", ",", "world", "!", "cafes", "$", "5"])
    }

    @Test func basicTokens_IsolatesCJKIdeographsButNotKana() {
        let words = WordPieceTokenizer.basicTokens("东京タワー").map { String(String.UnicodeScalarView($0)) }
        #expect(words == ["东", "京", "タワー"])
    }

    @Test func basicTokens_DropsFormatCharactersAndCombiningMarks() {
        // Zero-width space (Cf) vanishes, so the two halves join; "e" + U+0301 loses its accent.
        let words = WordPieceTokenizer.basicTokens("zero\u{200B}width e\u{0301}").map { String(String.UnicodeScalarView($0)) }
        #expect(words == ["zerowidth", "e"])
    }

    @Test func wordPiece_GreedyLongestMatchFirst() {
        #expect(Self.toy.encode("unaffable!") == [2, 5, 6, 7, 8, 3])
        #expect(Self.toy.tokenize("aaa") == [12, 13, 13])
    }

    @Test func wordPiece_UnmatchedRestMakesWholeWordUnknown() {
        #expect(Self.toy.tokenize("unaffablez hello") == [1, 15])
    }

    @Test func wordPiece_WordsOverOneHundredCharactersAreUnknown() {
        #expect(Self.toy.tokenize(String(repeating: "a", count: 100)) == [12] + Array(repeating: 13, count: 99))
        #expect(Self.toy.tokenize(String(repeating: "a", count: 101)) == [1])
    }

    @Test func encode_TruncatesTextButKeepsTheFrame() {
        #expect(Self.toy.encode("hello world.", maximumLength: 4) == [2, 15, 16, 3])
    }

    @Test func init_RejectsVocabularyWithoutSpecialTokens() {
        #expect(throws: ModelError.self) { try WordPieceTokenizer(vocabulary: ["[CLS]", "[SEP]", "a"]) }
    }

    @Test(.enabled(if: ModelFixtures.miniLMShouldRun, "models/all-MiniLM-L6-v2 absent and CI unset: run `make models`"))
    func miniLMVocabulary_MatchesHuggingFaceTokenizersOnEverySentence() throws {
        let reference = try ModelFixtures.miniLMReference()
        let tokenizer = try WordPieceTokenizer(vocabularyPath: ModelFixtures.miniLMDirectory + "/vocab.txt")
        #expect(reference.sentences.count >= 50)
        for (sentence, expected) in zip(reference.sentences, reference.tokenIDs) {
            #expect(tokenizer.encode(sentence) == expected, "\(sentence)")
        }
    }
}
