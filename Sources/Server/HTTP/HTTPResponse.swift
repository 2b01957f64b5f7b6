public import JSON
/// A response: status, header fields and one of three kinds of body. Content-Length, Transfer-Encoding,
/// Connection and Date are written by the server, not by handlers.
public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: Body

    public enum Body: Sendable {
        /// Bytes already in memory.
        case bytes([UInt8])
        /// A region of an open file, sent with sendfile(2).
        case file(FileBody)
        /// Chunks produced on a handler thread one at a time and sent with chunked transfer coding.
        case stream(any ResponseBodySource)
    }

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = HTTPHeaders(), body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .bytes(Array(text.utf8)))
    }

    /// A JSON response from already-encoded bytes.
    public static func json(bytes: [UInt8], status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(bytes))
    }

    /// A JSON response.
    public static func json(_ value: JSONValue, status: HTTPStatus = .ok) -> HTTPResponse {
        json(bytes: value.encoded(), status: status)
    }
}

/// Produces a streamed response body. `nextChunk` is called on handler threads, never two calls at once,
/// until it returns nil.
public protocol ResponseBodySource: Sendable {
    func nextChunk() throws -> [UInt8]?
}
