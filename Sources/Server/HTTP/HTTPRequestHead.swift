/// The parsed request line and header section of one request.
public struct HTTPRequestHead: Sendable {
    public var method: HTTPMethod
    /// The request target exactly as sent.
    public var target: String
    /// The percent-decoded path of the target.
    public var path: String
    /// The raw query string after `?`, still encoded; empty when absent.
    public var rawQuery: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var framing: BodyFraming
    /// Whether the connection stays open after the response (RFC 9112 §9.3).
    public var keepAlive: Bool
    /// `Expect: 100-continue` on a request that has a body (RFC 9110 §10.1.1).
    public var expectsContinue: Bool

    /// How the length of the request body is known (RFC 9112 §6.3).
    public enum BodyFraming: Sendable, Equatable {
        case none
        case length(Int)
        case chunked
    }
}
