/// A request handler. Handlers are synchronous and run on the handler pool (or on the event loop for
/// `.inline` routes), so they may block on the database without stalling other connections.
public typealias HTTPHandler = @Sendable (HTTPRequest) throws -> HTTPResponse

/// How a route is run.
public struct RouteOptions: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Run on the event-loop thread: for handlers that never block (health checks, constant answers).
    public static let inline = RouteOptions(rawValue: 1)
    /// The handler starts as soon as the head arrives and reads the body from `request.bodyStream`,
    /// with no body-size limit (artifact uploads).
    public static let streamingBody = RouteOptions(rawValue: 2)
}

/// Maps method and path to handlers. Built once at start-up, then shared read-only by every loop.
///
/// Patterns are paths whose segments are literals, `:name` (one segment) or a final `*name` (the rest of
/// the path, possibly empty). Static paths are found by hashing; patterns with parameters are tried in
/// registration order.
public struct Router: Sendable {
    public struct Route: Sendable {
        public let method: HTTPMethod
        public let pattern: String
        public let options: RouteOptions
        public let handler: HTTPHandler
        fileprivate let segments: [Segment]
    }

    fileprivate enum Segment: Sendable, Equatable {
        case literal(String)
        case parameter(String)
        case rest(String)
    }

    public enum Match {
        case found(Route, parameters: [String: String])
        case methodNotAllowed(allowed: [HTTPMethod])
        case notFound
    }

    private var staticRoutes: [String: [Route]] = [:]
    private var patternRoutes: [Route] = []

    public init() {}

    public mutating func add(_ method: HTTPMethod, _ pattern: String, options: RouteOptions = [], _ handler: @escaping HTTPHandler) {
        let segments = Self.segments(of: pattern)
        precondition(!segments.dropLast().contains { if case .rest = $0 { return true } else { return false } },
                     "a *rest segment must be the last one: \(pattern)")
        let route = Route(method: method, pattern: pattern, options: options, handler: handler, segments: segments)
        if segments.allSatisfy({ if case .literal = $0 { return true } else { return false } }) {
            staticRoutes[pattern, default: []].append(route)
        } else {
            patternRoutes.append(route)
        }
    }

    public mutating func get(_ pattern: String, options: RouteOptions = [], _ handler: @escaping HTTPHandler) {
        add(.GET, pattern, options: options, handler)
    }

    public mutating func post(_ pattern: String, options: RouteOptions = [], _ handler: @escaping HTTPHandler) {
        add(.POST, pattern, options: options, handler)
    }

    /// Finds the route for a request. HEAD falls back to GET when no HEAD route exists (RFC 9110 §9.3.2).
    public func match(method: HTTPMethod, path: String) -> Match {
        var allowed: [HTTPMethod] = []
        if let routes = staticRoutes[path] {
            if let route = Self.pick(routes, method: method) { return .found(route, parameters: [:]) }
            allowed += routes.map(\.method)
        }
        if !patternRoutes.isEmpty {
            let parts = Self.pathSegments(path)
            var candidates: [(Route, [String: String])] = []
            for route in patternRoutes {
                if let parameters = Self.bind(route.segments, to: parts) { candidates.append((route, parameters)) }
            }
            if let found = Self.pick(candidates.map(\.0), method: method),
               let parameters = candidates.first(where: { $0.0.pattern == found.pattern && $0.0.method == found.method })?.1 {
                return .found(found, parameters: parameters)
            }
            allowed += candidates.map(\.0.method)
        }
        return allowed.isEmpty ? .notFound : .methodNotAllowed(allowed: allowed)
    }

    /// Answers a request without a socket: match, bind parameters, run the handler inside the error boundary.
    /// The server's connections do the same in steps; tests and in-process callers use this.
    public func respond(to request: HTTPRequest, logger: Logger = .disabled) -> HTTPResponse {
        switch match(method: request.method, path: request.path) {
        case .found(let route, let parameters):
            var bound = request
            bound.pathParameters = parameters
            return ErrorBoundary.run(route.handler, bound, logger: logger)
        case .methodNotAllowed:
            return ErrorBoundary.errorResponse(
                status: .methodNotAllowed, code: APIError.Code.badRequest.rawValue,
                message: "Method \(request.method) is not allowed on \(request.path)")
        case .notFound:
            return ErrorBoundary.errorResponse(
                status: .notFound, code: APIError.Code.endpointNotFound.rawValue,
                message: "No endpoint \(request.method) \(request.path)")
        }
    }

    private static func pick(_ routes: [Route], method: HTTPMethod) -> Route? {
        routes.first { $0.method == method } ?? (method == .HEAD ? routes.first { $0.method == .GET } : nil)
    }

    private static func segments(of pattern: String) -> [Segment] {
        pathSegments(pattern).map { part in
            if part.hasPrefix(":") { return .parameter(String(part.dropFirst())) }
            if part.hasPrefix("*") { return .rest(String(part.dropFirst())) }
            return .literal(String(part))
        }
    }

    private static func pathSegments(_ path: String) -> [Substring] {
        path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }
    }

    private static func bind(_ segments: [Segment], to parts: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (i, segment) in segments.enumerated() {
            switch segment {
            case .literal(let text):
                guard i < parts.count, parts[i] == text else { return nil }
            case .parameter(let name):
                guard i < parts.count, !parts[i].isEmpty else { return nil }
                parameters[name] = String(parts[i])
            case .rest(let name):
                parameters[name] = i < parts.count ? parts[i...].joined(separator: "/") : ""
                return parameters
            }
        }
        return parts.count == segments.count ? parameters : nil
    }
}
