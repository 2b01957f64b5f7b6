/// An HTTP request method. An open set (RFC 9110 §9 allows extension methods), so a struct with constants
/// rather than an enum; method tokens are case-sensitive (RFC 9110 §9.1).
public struct HTTPMethod: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }

    public static let GET: HTTPMethod = "GET"
    public static let HEAD: HTTPMethod = "HEAD"
    public static let POST: HTTPMethod = "POST"
    public static let PUT: HTTPMethod = "PUT"
    public static let PATCH: HTTPMethod = "PATCH"
    public static let DELETE: HTTPMethod = "DELETE"
    public static let OPTIONS: HTTPMethod = "OPTIONS"

    public var description: String { rawValue }
}
