/// A layer-name glob: `*` matches any run of characters (dots included), `?` exactly one; everything else is literal.
public struct LayerPattern: Sendable, Hashable, CustomStringConvertible {
    public let text: String
    private let characters: [Character]

    public init(_ text: String) {
        self.text = text
        characters = Array(text)
    }

    /// Literal (non-wildcard) characters: the specificity that decides between patterns matching the same layer.
    public var literalCount: Int { characters.count { $0 != "*" && $0 != "?" } }

    public var description: String { text }

    /// True when the whole of `name` matches.
    public func matches(_ name: String) -> Bool {
        let s = Array(name)
        // Greedy matching with backtracking to the last `*` (linear in practice for layer names).
        var (p, i) = (0, 0)
        var star: (pattern: Int, name: Int)?
        while i < s.count {
            if p < characters.count, characters[p] == "?" || characters[p] == s[i] {
                p += 1
                i += 1
            } else if p < characters.count, characters[p] == "*" {
                star = (p, i)
                p += 1
            } else if let last = star {
                p = last.pattern + 1
                i = last.name + 1
                star = (last.pattern, last.name + 1)
            } else {
                return false
            }
        }
        while p < characters.count, characters[p] == "*" { p += 1 }
        return p == characters.count
    }
}
