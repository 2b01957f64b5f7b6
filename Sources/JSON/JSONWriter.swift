/// Writes compact JSON text straight into bytes, for responses too large or too frequent to build as a `JSONValue`
/// tree first (a tree costs an allocation per object, array and string, and a second pass to encode).
///
/// ```swift
/// var w = JSONWriter()
/// w.openObject()
/// w.key("runs"); w.openArray(); w.string("a"); w.int(1); w.closeArray()
/// w.member("next", "t")
/// w.closeObject()
/// // w.bytes is {"runs":["a",1],"next":"t"}
/// ```
///
/// Commas are placed by the writer: every value, key and opening bracket is preceded by one unless it is the first
/// thing inside its container or follows a key. The caller keeps the structure balanced. Values are encoded exactly
/// as `JSONValue.encode` encodes them, so the two produce the same text.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// True right after an opening bracket or a key: the next thing written needs no comma before it.
    private var atStart = true

    public init(reservingCapacity capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func openObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        atStart = true
    }

    public mutating func closeObject() {
        bytes.append(UInt8(ascii: "}"))
        atStart = false
    }

    public mutating func openArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        atStart = true
    }

    public mutating func closeArray() {
        bytes.append(UInt8(ascii: "]"))
        atStart = false
    }

    /// A member name. It is written as given, so it must need no escaping (the field names of a protocol).
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\":".utf8)
        atStart = true
    }

    public mutating func string(_ value: String) {
        separate()
        JSONValue.encodeString(value, into: &bytes)
        atStart = false
    }

    public mutating func int(_ value: Int64) {
        separate()
        JSONValue.encodeInt(value, into: &bytes)
        atStart = false
    }

    /// NaN and ±Infinity as the strings "NaN", "Infinity", "-Infinity", as `JSONValue.encode` writes them.
    public mutating func double(_ value: Double) {
        separate()
        JSONValue.encodeDouble(value, into: &bytes)
        atStart = false
    }

    /// A member with a string value: `key(name)` then `string(value)`.
    public mutating func member(_ name: StaticString, _ value: String) {
        key(name)
        string(value)
    }

    /// A member with an integer value.
    public mutating func member(_ name: StaticString, _ value: Int64) {
        key(name)
        int(value)
    }

    /// A member with a double value (non-finite values as strings, see `double`).
    public mutating func member(_ name: StaticString, _ value: Double) {
        key(name)
        double(value)
    }

    private mutating func separate() {
        if !atStart { bytes.append(UInt8(ascii: ",")) }
    }
}
