/// GPT-2's pre-tokenization pattern, implemented by hand:
///
///     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
///
/// At each position the first alternative that matches wins, and each takes the longest run it can. `\s` is the
/// Unicode White_Space property, `\p{L}` the letter categories, `\p{N}` the number categories.
/// The effect of `\s+(?!\S)` is that a run of whitespace before a word leaves its last character to the word, so
/// "a   b" splits as "a", "  ", " b".
public enum GPT2PreTokenizer {
    /// The contractions GPT-2 splits off, lowercase only, as in the original pattern.
    static let contractions: [[Unicode.Scalar]] = ["'s", "'t", "'re", "'ve", "'m", "'ll", "'d"].map { Array($0.unicodeScalars) }

    /// The pieces of `text`, in order; concatenated they give `text` back.
    public static func split(_ text: String) -> [Substring.UnicodeScalarView] {
        let scalars = text.unicodeScalars
        let characters = Array(scalars)
        var indices = Array(scalars.indices)
        indices.append(scalars.endIndex)
        var pieces: [Substring.UnicodeScalarView] = []
        var start = 0
        while start < characters.count {
            let end = matchLength(characters, at: start) + start
            pieces.append(scalars[indices[start] ..< indices[end]])
            start = end
        }
        return pieces
    }

    /// Length of the match at `i` (always at least 1, since `\s+` or one of the other classes covers every scalar).
    static func matchLength(_ s: [Unicode.Scalar], at i: Int) -> Int {
        for contraction in contractions where s.count - i >= contraction.count {
            if s[i ..< i + contraction.count].elementsEqual(contraction) { return contraction.count }
        }
        let afterSpace = s[i] == " " && i + 1 < s.count ? i + 1 : i
        for matches in [isLetter, isNumber, isOther] as [(Unicode.Scalar) -> Bool] where matches(s[afterSpace]) {
            var end = afterSpace + 1
            while end < s.count && matches(s[end]) { end += 1 }
            return end - i
        }
        // Here s[i] is whitespace: every scalar is a letter, a number, whitespace or "other".
        var end = i
        while end < s.count && isWhitespace(s[end]) { end += 1 }
        if end == s.count || end - i == 1 { return end - i }  // \s+(?!\S) at the end of text, else \s+ alone
        return end - i - 1                                    // \s+(?!\S): leave the last one to the next word
    }

    static func isWhitespace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }

    static func isLetter(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }

    static func isNumber(_ c: Unicode.Scalar) -> Bool {
        switch c.properties.generalCategory {
        case .decimalNumber, .letterNumber, .otherNumber: return true
        default: return false
        }
    }

    /// `[^\s\p{L}\p{N}]`.
    static func isOther(_ c: Unicode.Scalar) -> Bool { !isWhitespace(c) && !isLetter(c) && !isNumber(c) }
}
