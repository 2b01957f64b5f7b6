#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The HTTP/1.1 server: a listening socket shared by `loopThreads` event loops (epoll, edge-triggered) and a
/// pool of handler threads.
///
/// ```swift
/// var router = Router()
/// router.get("/health", options: .inline) { _ in .text("OK") }
/// let server = try HTTPServer(configuration: .init(), router: router)
/// try server.start()
/// server.waitUntilStopped()
/// ```
public final class HTTPServer: @unchecked Sendable {
    // Safe to share: `loops`, `threads`, `pool` and `listener` are written in `start()` before any other
    // thread sees them and are then read-only; the connection count is atomic and `state` is a Mutex.
    public let configuration: Configuration
    private let router: Router
    private var listener: Int32 = -1
    private var loops: [EventLoop] = []
    private var threads: [pthread_t] = []
    private var pool: HandlerPool?
    private let connectionCount = Atomic<Int>(0)
    private let state = Mutex<State>(.idle)
    /// The bound port, known after `start()`.
    public private(set) var port: UInt16 = 0

    private enum State {
        case idle, running, stopping, stopped
    }

    public init(configuration: Configuration, router: Router) {
        self.configuration = configuration
        self.router = router
    }

    /// Binds, listens and starts the loop and handler threads; returns once the server accepts connections.
    public func start() throws {
        try state.withLock { state in
            guard state == .idle else { throw SocketError(call: "HTTPServer.start (already started)", errno: EALREADY) }
            state = .running
        }
        precondition(configuration.loopThreads > 0, "loopThreads must be positive")
        listener = try Socket.makeListener(host: configuration.host, port: configuration.port)
        port = try Socket.boundPort(listener)
        let pool = HandlerPool(threadCount: configuration.handlerThreads)
        self.pool = pool
        for _ in 0..<configuration.loopThreads {
            loops.append(try EventLoop(server: self, configuration: configuration, router: router, pool: pool, listener: listener))
        }
        for loop in loops {
            let box = Unmanaged.passRetained(loop)
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
                loop.run()
                return nil
            }, box.toOpaque())
            precondition(status == 0, "pthread_create failed: \(status)")
            threads.append(thread)
        }
        configuration.logger.info("listening host=\(configuration.host) port=\(port) loops=\(configuration.loopThreads) handlers=\(configuration.handlerThreads)")
    }

    /// Stops accepting, lets in-flight requests finish for up to `shutdownGraceSeconds`, then closes the
    /// remaining connections. Returns immediately; `waitUntilStopped()` waits for the end.
    public func shutdown() {
        let proceed = state.withLock { state -> Bool in
            guard state == .running else { return false }
            state = .stopping
            return true
        }
        guard proceed else { return }
        let deadline = monotonicNanoseconds() + UInt64(configuration.shutdownGraceSeconds * 1_000_000_000)
        for loop in loops { loop.beginDrain(deadline: deadline) }
    }

    /// Blocks until every loop has exited after `shutdown()`, then releases the listener and the handler pool.
    public func waitUntilStopped() {
        for thread in threads { pthread_join(thread, nil) }
        threads.removeAll()
        pool?.shutdown()
        pool = nil
        state.withLock { state in
            if listener >= 0 {
                close(listener)
                listener = -1
            }
            state = .stopped
        }
        loops.removeAll()
    }

    /// The number of open client connections.
    public var openConnections: Int { connectionCount.load(ordering: .relaxed) }

    func reserveConnectionSlot() -> Bool {
        let now = connectionCount.wrappingAdd(1, ordering: .relaxed).newValue
        if now > configuration.maxConnections {
            connectionCount.wrappingSubtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func releaseConnectionSlot() {
        connectionCount.wrappingSubtract(1, ordering: .relaxed)
    }
}
