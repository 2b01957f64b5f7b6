@_spi(_Unicode) import Swift

/// The BERT uncased tokenizer: basic tokenisation followed by greedy longest-match-first WordPiece.
///
/// Follows the original BERT `tokenization.py` and Hugging Face's `BertNormalizer` + `BertPreTokenizer` +
/// `WordPiece` pipeline, in that library's order:
/// 1. clean text: drop U+0000, U+FFFD and control/format characters (general category C*, except tab, newline and
///    carriage return), turn every whitespace character into a space;
/// 2. put spaces around CJK ideographs, so each becomes its own word;
/// 3. strip accents: canonical decomposition (NFD), then remove nonspacing marks (Mn);
/// 4. lowercase;
/// 5. split on whitespace, and isolate every punctuation character (ASCII punctuation or Unicode category P*);
/// 6. WordPiece each word: longer than 100 characters → `[UNK]`; otherwise repeatedly take the longest vocabulary
///    entry that prefixes the rest (continuations carry `##`); if some rest has no match, the whole word is `[UNK]`.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabularyPath: "models/all-MiniLM-L6-v2/vocab.txt")
/// let ids = tokenizer.encode("Café au lait!")   // [CLS] cafe au lait ! [SEP]
/// ```
public struct WordPieceTokenizer: Sendable {
    /// Words longer than this many Unicode scalars become `[UNK]` (BERT's `max_input_chars_per_word`).
    public static let maximumWordLength = 100

    /// Tokens by id (the line order of vocab.txt).
    public let tokens: [String]
    /// Keyed by UTF-8 bytes, not `String`, because `String` equality is canonical equivalence and would merge
    /// vocabulary entries that differ only in normalisation.
    private let idsByBytes: [[UInt8]: Int32]
    /// Id of `[UNK]`.
    public let unknownID: Int32
    /// Id of `[CLS]`, prepended by `encode`.
    public let classID: Int32
    /// Id of `[SEP]`, appended by `encode`.
    public let separatorID: Int32

    /// Loads a vocab.txt (one token per line; the id is the zero-based line number).
    public init(vocabularyPath: String) throws(ModelError) {
        try self.init(vocabulary: ModelFiles.lines(ModelFiles.readText(vocabularyPath)).map(String.init))
    }

    /// Builds the tokenizer from tokens in id order; it must contain `[UNK]`, `[CLS]` and `[SEP]`.
    public init(vocabulary: [String]) throws(ModelError) {
        guard vocabulary.count <= Int(Int32.max) else { throw .invalidTokenizer("vocabulary too large") }
        var ids: [[UInt8]: Int32] = [:]
        for (id, token) in vocabulary.enumerated() {
            ids[Array(token.utf8)] = Int32(id)  // a repeated token keeps its last id, as Hugging Face's loader does
        }
        func special(_ name: String) throws(ModelError) -> Int32 {
            guard let id = ids[Array(name.utf8)] else { throw .invalidTokenizer("vocabulary has no \(name)") }
            return id
        }
        tokens = vocabulary
        idsByBytes = ids
        unknownID = try special("[UNK]")
        classID = try special("[CLS]")
        separatorID = try special("[SEP]")
    }

    /// Token ids of `text` framed as `[CLS] … [SEP]`, keeping at most `maximumLength` ids (the text is cut, the
    /// frame kept).
    public func encode(_ text: String, maximumLength: Int = Int.max) -> [Int32] {
        precondition(maximumLength >= 2, "WordPieceTokenizer.encode: maximumLength must leave room for [CLS] and [SEP]")
        let body = tokenize(text).prefix(maximumLength - 2)
        return [classID] + body + [separatorID]
    }

    /// Token ids of `text` without special tokens.
    public func tokenize(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for word in WordPieceTokenizer.basicTokens(text) {
            appendWordPieces(of: word, to: &ids)
        }
        return ids
    }

    /// Steps 1–5: the normalised words, each as Unicode scalars.
    public static func basicTokens(_ text: String) -> [[Unicode.Scalar]] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || isControl(scalar) { continue }
            if isWhitespace(scalar) {
                cleaned.append(" ")
            } else if isCJKIdeograph(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        var words: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        func finishWord() {
            if !current.isEmpty { words.append(current); current.removeAll(keepingCapacity: true) }
        }
        for decomposed in String(cleaned)._nfd where decomposed.properties.generalCategory != .nonspacingMark {
            for scalar in decomposed.properties.lowercaseMapping.unicodeScalars {
                if isWhitespace(scalar) {
                    finishWord()
                } else if isPunctuation(scalar) {
                    finishWord()
                    words.append([scalar])
                } else {
                    current.append(scalar)
                }
            }
        }
        finishWord()
        return words
    }

    /// Step 6 for one word.
    private func appendWordPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= WordPieceTokenizer.maximumWordLength else { ids.append(unknownID); return }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            var end = word.count
            var match: Int32?
            while end > start {
                var key: [UInt8] = start > 0 ? Array("##".utf8) : []
                for scalar in word[start ..< end] { key.append(contentsOf: UTF8.encode(scalar)!) }
                if let id = idsByBytes[key] { match = id; break }
                end -= 1
            }
            guard let id = match else { ids.append(unknownID); return }
            pieces.append(id)
            start = end
        }
        ids.append(contentsOf: pieces)
    }

    // MARK: - Character classes (BERT tokenization.py; Hugging Face tokenizers normalizers/bert.rs)

    /// Tab, newline and carriage return count as whitespace, as does anything with the White_Space property.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// General category "Other" (Cc, Cf, Cs, Co, Cn), except the three whitespace controls.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .surrogate, .privateUse, .unassigned: return true
        default: return false
        }
    }

    /// ASCII punctuation (33–47, 58–64, 91–96, 123–126, which includes `$`, `^`, `` ` `` and others outside P*) or any
    /// Unicode punctuation category.
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 33...47, 58...64, 91...96, 123...126: return true
        default: break
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK Unified Ideographs blocks that BERT isolates (not Hangul, Hiragana or Katakana).
    static func isCJKIdeograph(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B820...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
