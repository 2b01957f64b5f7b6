/// A request as a handler sees it: the head, the decoded query, the route's path parameters and either the
/// whole body (`body`) or, on a streaming route, `bodyStream`.
public struct HTTPRequest: Sendable {
    public let head: HTTPRequestHead
    public let query: QueryParameters
    public var pathParameters: [String: String]
    /// The complete body for ordinary routes; empty on streaming routes.
    public let body: [UInt8]
    /// The body as it arrives, on routes registered with `.streamingBody`.
    public let bodyStream: RequestBodyStream?

    public init(
        head: HTTPRequestHead, query: QueryParameters, pathParameters: [String: String] = [:], body: [UInt8] = [],
        bodyStream: RequestBodyStream? = nil
    ) {
        self.head = head
        self.query = query
        self.pathParameters = pathParameters
        self.body = body
        self.bodyStream = bodyStream
    }

    public var method: HTTPMethod { head.method }
    public var path: String { head.path }
    public var headers: HTTPHeaders { head.headers }
}
