extension HTTPServer {
    /// Everything about the server that an operator may tune. Defaults suit one machine serving a team.
    public struct Configuration: Sendable {
        public var host = "127.0.0.1"
        /// 0 picks an ephemeral port (tests); `HTTPServer.port` tells which.
        public var port: UInt16 = 5000
        /// Event-loop threads; each owns an epoll instance and its connections.
        public var loopThreads = 2
        /// Threads that run handlers which may block.
        public var handlerThreads = 16
        /// How long a handler thread that has answered a request waits on that connection for the next one
        /// before handing it back to the event loop (0: at once). The next request then reaches the thread
        /// directly, without a loop wake-up or a hand-over; a quarter of the threads never wait like this.
        public var lingerMilliseconds = 2
        /// Request line plus headers (→ 431).
        public var maxHeaderBytes = 64 * 1024
        /// A buffered (JSON) request body (→ 413). Streaming routes are not limited by it.
        public var maxBodyBytes = 64 * 1024 * 1024
        /// From a request's first byte (or the connection's start) to the end of its headers.
        public var headerTimeoutSeconds = 30.0
        /// How long a kept-alive connection may sit with no request.
        public var idleTimeoutSeconds = 75.0
        /// Longest gap in a request body's arrival, or in the client reading our response.
        public var ioTimeoutSeconds = 60.0
        /// Connections beyond this are answered 503 and closed at once.
        public var maxConnections = 10_000
        /// How long shutdown waits for in-flight requests before closing their connections.
        public var shutdownGraceSeconds = 10.0
        /// One line per request: method, path, status, duration, bytes.
        public var accessLog = false
        public var logger = Logger(level: .info)

        public init() {}
    }
}
