public import JSON
/// GPT-2's byte-level BPE tokenizer (Radford et al. 2019, §2.2; the released `encoder.py`), reading vocab.json and
/// merges.txt.
///
/// 1. Pre-tokenize with GPT-2's pattern (``GPT2PreTokenizer``).
/// 2. Map every UTF-8 byte of a piece to a printable character (``byteToUnicode``), which is how vocab.json and
///    merges.txt spell tokens, so any byte sequence, including broken UTF-8 and emoji, is encodable.
/// 3. Start from single bytes and repeatedly merge the adjacent pair with the lowest merge rank (its line in
///    merges.txt) until no listed pair remains.
///
/// ```swift
/// let tokenizer = try ByteLevelBPETokenizer(vocabularyPath: "vocab.json", mergesPath: "merges.txt")
/// let ids = tokenizer.encode("Hello world")
/// let text = tokenizer.decode(ids)   // "Hello world"
/// ```
public struct ByteLevelBPETokenizer: Sendable {
    /// GPT-2's `bytes_to_unicode`: the printable bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves; the other 68
    /// bytes (controls, space, soft hyphen…) are given the code points 256, 257, … in byte order.
    public static let byteToUnicode: [Unicode.Scalar] = {
        var table = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0 ..< 256 {
            let printable = (33...126).contains(byte) || (161...172).contains(byte) || (174...255).contains(byte)
            if printable {
                table[byte] = Unicode.Scalar(UInt32(byte))!
            } else {
                table[byte] = Unicode.Scalar(next)!
                next += 1
            }
        }
        return table
    }()

    /// Token strings (in the byte-to-unicode spelling) by id.
    public let tokens: [String]
    /// Token bytes by id (the spelling decoded back to raw bytes).
    private let tokenBytes: [[UInt8]]
    /// The id of each single byte.
    private let byteIDs: [Int32]
    /// (left id, right id) → (rank, merged id).
    private let merges: [UInt64: (rank: Int32, merged: Int32)]

    /// Loads a GPT-2 vocab.json (token → id) and merges.txt (optional `#version` line, then "left right" per line).
    public init(vocabularyPath: String, mergesPath: String) throws(ModelError) {
        let vocabulary = try ModelFiles.readJSON(vocabularyPath)
        try self.init(vocabulary: vocabulary, merges: ModelFiles.lines(ModelFiles.readText(mergesPath)))
    }

    /// Builds the tokenizer from a parsed vocab.json and the lines of merges.txt.
    public init(vocabulary: JSONValue, merges mergeLines: [Substring]) throws(ModelError) {
        guard let members = vocabulary.objectValue else { throw .invalidTokenizer("vocab.json is not an object") }
        var unicodeToByte: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in ByteLevelBPETokenizer.byteToUnicode.enumerated() { unicodeToByte[scalar] = UInt8(byte) }

        var tokens = [String](repeating: "", count: members.count)
        var tokenBytes = [[UInt8]](repeating: [], count: members.count)
        var seen = [Bool](repeating: false, count: members.count)
        var idsByBytes: [[UInt8]: Int32] = [:]
        for (token, value) in members {
            guard let id = value.integerValue, id >= 0, id < Int64(members.count), !seen[Int(id)] else {
                throw .invalidTokenizer("vocab.json: ids must be 0..<\(members.count), each once (token \(token))")
            }
            seen[Int(id)] = true
            tokens[Int(id)] = token
            // Tokens outside the byte alphabet (special tokens such as <|endoftext|>) keep no byte spelling and are
            // never produced by merges.
            let bytes = token.unicodeScalars.compactMap { unicodeToByte[$0] }
            if bytes.count == token.unicodeScalars.count {
                tokenBytes[Int(id)] = bytes
                idsByBytes[bytes] = idsByBytes[bytes] ?? Int32(id)
            }
        }
        var byteIDs = [Int32](repeating: -1, count: 256)
        for byte in 0 ..< 256 {
            guard let id = idsByBytes[[UInt8(byte)]] else { throw .invalidTokenizer("vocab.json lacks the byte \(byte)") }
            byteIDs[byte] = id
        }

        var merges: [UInt64: (rank: Int32, merged: Int32)] = [:]
        var rank: Int32 = 0
        for (index, line) in mergeLines.enumerated() {
            if line.isEmpty || (index == 0 && line.hasPrefix("#version")) { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else { throw .invalidTokenizer("merges.txt line \(index + 1): expected two tokens") }
            func id(_ part: Substring) throws(ModelError) -> Int32 {
                let bytes = part.unicodeScalars.compactMap { unicodeToByte[$0] }
                guard bytes.count == part.unicodeScalars.count, let id = idsByBytes[bytes] else {
                    throw .invalidTokenizer("merges.txt line \(index + 1): \(part) is not in the vocabulary")
                }
                return id
            }
            let left = try id(parts[0]), right = try id(parts[1])
            guard let merged = idsByBytes[tokenBytes[Int(left)] + tokenBytes[Int(right)]] else {
                throw .invalidTokenizer("merges.txt line \(index + 1): the merged token is not in the vocabulary")
            }
            let key = ByteLevelBPETokenizer.pairKey(left, right)
            if merges[key] == nil { merges[key] = (rank, merged) }  // the first listing of a pair decides its rank
            rank += 1
        }
        self.tokens = tokens
        self.tokenBytes = tokenBytes
        self.byteIDs = byteIDs
        self.merges = merges
    }

    /// Vocabulary size.
    public var vocabularySize: Int { tokens.count }

    /// The token ids of `text`.
    public func encode(_ text: String) -> [Int32] {
        var ids: [Int32] = []
        for piece in GPT2PreTokenizer.split(text) {
            appendMerged(Array(String(piece).utf8), to: &ids)
        }
        return ids
    }

    /// The text of `ids` (bytes that do not form valid UTF-8 become U+FFFD).
    public func decode(_ ids: [Int32]) -> String {
        var bytes: [UInt8] = []
        for id in ids {
            precondition(id >= 0 && Int(id) < tokens.count, "ByteLevelBPETokenizer.decode: id \(id) out of range")
            let spelled = tokenBytes[Int(id)]
            bytes += spelled.isEmpty ? Array(tokens[Int(id)].utf8) : spelled
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Step 3 on one pre-token.
    private func appendMerged(_ bytes: [UInt8], to ids: inout [Int32]) {
        var symbols = bytes.map { byteIDs[Int($0)] }
        while symbols.count > 1 {
            var best: (rank: Int32, merged: Int32)?
            var bestPair: UInt64 = 0
            for i in 0 ..< symbols.count - 1 {
                let key = ByteLevelBPETokenizer.pairKey(symbols[i], symbols[i + 1])
                if let merge = merges[key], best == nil || merge.rank < best!.rank {
                    best = merge
                    bestPair = key
                }
            }
            guard let chosen = best else { break }
            // Merge every occurrence of the chosen pair, left to right (GPT-2's `bpe`).
            var merged: [Int32] = []
            merged.reserveCapacity(symbols.count)
            var i = 0
            while i < symbols.count {
                if i + 1 < symbols.count && ByteLevelBPETokenizer.pairKey(symbols[i], symbols[i + 1]) == bestPair {
                    merged.append(chosen.merged)
                    i += 2
                } else {
                    merged.append(symbols[i])
                    i += 1
                }
            }
            symbols = merged
        }
        ids += symbols
    }

    private static func pairKey(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }
}
