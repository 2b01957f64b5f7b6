/// The members of a JSON object in order. Lookups are linear: the objects read and written here are small.
public struct JSONObject: Sendable, Equatable, Sequence, ExpressibleByDictionaryLiteral, ExpressibleByArrayLiteral {
    public private(set) var members: [(key: String, value: JSONValue)]

    public init() { members = [] }
    public init(_ pairs: [(String, JSONValue)]) { members = pairs.map { (key: $0.0, value: $0.1) } }
    public init(dictionaryLiteral elements: (String, JSONValue)...) { self.init(elements) }
    /// `[("key", value), …]`: an ordered literal for documents built from computed lists of members.
    public init(arrayLiteral elements: (String, JSONValue)...) { self.init(elements) }

    public subscript(_ key: String) -> JSONValue? {
        get { members.first { $0.key == key }?.value }
        set {
            if let index = members.firstIndex(where: { $0.key == key }) {
                if let newValue { members[index].value = newValue } else { members.remove(at: index) }
            } else if let newValue {
                members.append((key, newValue))
            }
        }
    }

    /// Appends without looking for an existing key: for building responses whose keys are known distinct.
    public mutating func append(_ key: String, _ value: JSONValue) {
        members.append((key, value))
    }

    /// Room for `count` members, so building a response object of known shape allocates once.
    public mutating func reserveCapacity(_ count: Int) {
        members.reserveCapacity(count)
    }

    public var count: Int { members.count }
    public var keys: [String] { members.map(\.key) }
    public func makeIterator() -> IndexingIterator<[(key: String, value: JSONValue)]> { members.makeIterator() }

    public static func == (a: JSONObject, b: JSONObject) -> Bool {
        guard a.members.count == b.members.count else { return false }
        // Member order does not change a JSON object's meaning.
        return a.members.allSatisfy { b[$0.key] == $0.value }
    }
}
