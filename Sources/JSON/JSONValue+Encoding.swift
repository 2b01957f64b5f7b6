extension JSONValue {
    /// Compact UTF-8 JSON. Non-finite doubles are written as the strings "NaN", "Infinity" and "-Infinity",
    /// as MLflow's serializer does (MLFLOW_API.md §1.3), so every output is valid JSON.
    public func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        encode(into: &out)
        return out
    }

    public func encodedString() -> String {
        String(decoding: encoded(), as: UTF8.self)
    }

    public func encode(into out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): Self.encodeInt(i, into: &out)
        case .double(let d): Self.encodeDouble(d, into: &out)
        case .string(let s): Self.encodeString(s, into: &out)
        case .array(let elements):
            out.append(UInt8(ascii: "["))
            for (i, element) in elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                element.encode(into: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let object):
            out.append(UInt8(ascii: "{"))
            for (i, member) in object.members.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                Self.encodeString(member.key, into: &out)
                out.append(UInt8(ascii: ":"))
                member.value.encode(into: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    public static func encodeDouble(_ d: Double, into out: inout [UInt8]) {
        if d.isNaN {
            out.append(contentsOf: "\"NaN\"".utf8)
        } else if d.isInfinite {
            out.append(contentsOf: (d > 0 ? "\"Infinity\"" : "\"-Infinity\"").utf8)
        } else {
            // Swift prints the shortest text that reads back to the same double ("0.1", "1e-05", "2.0").
            out.append(contentsOf: d.description.utf8)
        }
    }

    /// Decimal digits straight into `out`, without the String that `String(i)` would allocate per number.
    public static func encodeInt(_ i: Int64, into out: inout [UInt8]) {
        if i < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = i.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: room for the 20 digits of UInt64.max
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                count += 1
                buffer[buffer.count - count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude != 0
            out.append(contentsOf: buffer[(buffer.count - count)...])
        }
    }

    public static func encodeString(_ s: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        // Most strings (keys, IDs, names) need no escaping: copy their bytes in one go.
        let copied = s.utf8.withContiguousStorageIfAvailable { bytes -> Bool in
            guard !bytes.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else {
                return false
            }
            out.append(contentsOf: bytes)
            return true
        }
        if copied != true {
            for b in s.utf8 { appendEscaped(b, into: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// One byte of a string body, escaped as RFC 8259 §7 requires.
    private static func appendEscaped(_ b: UInt8, into out: inout [UInt8]) {
        switch b {
        case UInt8(ascii: "\""): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "\\"))
        case 0x0A: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "n"))
        case 0x0D: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "r"))
        case 0x09: out.append(UInt8(ascii: "\\")); out.append(UInt8(ascii: "t"))
        case 0..<0x20:
            out.append(contentsOf: "\\u00".utf8)
            out.append(hexDigits[Int(b >> 4)])
            out.append(hexDigits[Int(b & 0xF)])
        default: out.append(b)
        }
    }
}
