/// A lexical token of MLflow's search-filter language (MLFLOW_API.md §4.1).
struct FilterToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        /// A bare word: an identifier such as `metrics.acc`, or a keyword such as `AND`, `LIKE`.
        case word
        /// A `backtick`-quoted identifier.
        case backticked
        /// A "double-quoted" text: an identifier on the left of a comparison, a string on the right.
        case doubleQuoted
        /// A 'single-quoted' string.
        case string
        case number
        /// `=`, `!=`, `<>`, `<`, `<=`, `>`, `>=`.
        case comparison
        case openParen, closeParen, comma
    }

    let kind: Kind
    /// The token's value: unquoted text for quoted kinds, the source spelling otherwise.
    let text: String
    /// Offset of the token's first character in the filter, for error messages.
    let position: Int

    func isKeyword(_ keyword: String) -> Bool { kind == .word && text.uppercased() == keyword }
}

/// Splits a filter string into tokens; a character that starts no token is an error naming it.
enum FilterLexer {
    static func tokenize(_ input: String) throws -> [FilterToken] {
        let chars = Array(input)
        var tokens: [FilterToken] = []
        var i = 0
        func isWordStart(_ c: Character) -> Bool { c.isLetter || c == "_" }
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber || "_.:/-".contains(c) }
        while i < chars.count {
            let c = chars[i]
            let start = i
            if c.isWhitespace {
                i += 1
            } else if isWordStart(c) {
                while i < chars.count, isWordChar(chars[i]) { i += 1 }
                var text = String(chars[start..<i])
                // `metrics.`my key`` / `params."a b"`: an entity prefix followed by a quoted key.
                if text.hasSuffix("."), i < chars.count, chars[i] == "`" || chars[i] == "\"" {
                    let (quoted, next) = try readQuoted(chars, from: i, input: input)
                    text += quoted
                    i = next
                    tokens.append(FilterToken(kind: .backticked, text: text, position: start))
                } else {
                    tokens.append(FilterToken(kind: .word, text: text, position: start))
                }
            } else if c == "`" || c == "\"" || c == "'" {
                let (quoted, next) = try readQuoted(chars, from: i, input: input)
                i = next
                let kind: FilterToken.Kind = c == "`" ? .backticked : c == "\"" ? .doubleQuoted : .string
                tokens.append(FilterToken(kind: kind, text: quoted, position: start))
            } else if c.isNumber || ((c == "-" || c == "+" || c == ".") && i + 1 < chars.count && (chars[i + 1].isNumber || chars[i + 1] == ".")) {
                i += 1
                while i < chars.count, chars[i].isNumber || chars[i] == "." || chars[i] == "e" || chars[i] == "E"
                    || ((chars[i] == "-" || chars[i] == "+") && (chars[i - 1] == "e" || chars[i - 1] == "E"))
                {
                    i += 1
                }
                tokens.append(FilterToken(kind: .number, text: String(chars[start..<i]), position: start))
            } else if "=!<>".contains(c) {
                i += 1
                if i < chars.count, chars[i] == "=" || (c == "<" && chars[i] == ">") { i += 1 }
                let text = String(chars[start..<i])
                guard text != "!" else { throw invalidToken(text, at: start, in: input) }
                tokens.append(FilterToken(kind: .comparison, text: text, position: start))
            } else if c == "(" {
                i += 1
                tokens.append(FilterToken(kind: .openParen, text: "(", position: start))
            } else if c == ")" {
                i += 1
                tokens.append(FilterToken(kind: .closeParen, text: ")", position: start))
            } else if c == "," {
                i += 1
                tokens.append(FilterToken(kind: .comma, text: ",", position: start))
            } else {
                throw invalidToken(String(c), at: start, in: input)
            }
        }
        return tokens
    }

    /// Reads a quoted run starting at `chars[from]`; a doubled quote character stands for itself.
    private static func readQuoted(_ chars: [Character], from: Int, input: String) throws -> (String, Int) {
        let quote = chars[from]
        var i = from + 1
        var text = ""
        while i < chars.count {
            if chars[i] == quote {
                if i + 1 < chars.count, chars[i + 1] == quote {
                    text.append(quote)
                    i += 2
                    continue
                }
                return (text, i + 1)
            }
            text.append(chars[i])
            i += 1
        }
        throw StoreError.invalidParameter(
            "Invalid filter '\(input)': unterminated quoted text starting at position \(from)")
    }

    static func invalidToken(_ token: String, at position: Int, in input: String) -> StoreError {
        .invalidParameter("Invalid filter '\(input)': unexpected token '\(token)' at position \(position)")
    }
}
