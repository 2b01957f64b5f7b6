#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// One event-loop thread: an epoll queue, the shared listener, and the connections this loop accepted.
/// Connections never move between loops; a connection's state is used by its loop, or by the one handler
/// thread serving a request on it (see `Connection`). Other threads reach a loop only through `post`, which
/// queues a closure and wakes it.
final class EventLoop: @unchecked Sendable {
    // Safe to share: `inbox` is a Mutex and `draining` an Atomic; `queue.wake()` and `queue.unregister` are
    // thread-safe; every other mutable field is touched only by the loop's own thread (inside `run` and the
    // closures it executes).
    let queue: EventQueue
    unowned let server: HTTPServer
    let configuration: HTTPServer.Configuration
    let router: Router
    let pool: HandlerPool
    private let listener: Int32
    private let inbox = Mutex<[@Sendable () -> Void]>([])
    private var connections: [Int32: Connection] = [:]
    private var accepting = true
    private var drainDeadline: UInt64?
    /// Set with `drainDeadline`; read by connections on handler threads too.
    private let draining = Atomic<Bool>(false)
    private var lastSweep: UInt64 = 0

    init(server: HTTPServer, configuration: HTTPServer.Configuration, router: Router, pool: HandlerPool, listener: Int32) throws {
        self.server = server
        self.configuration = configuration
        self.router = router
        self.pool = pool
        self.listener = listener
        self.queue = try EventQueue()
        // EPOLLEXCLUSIVE: a connection wakes one loop, not all of them.
        try queue.register(listener, readiness: .readable, exclusive: true)
    }

    /// Runs a closure on this loop's thread soon. Callable from any thread.
    func post(_ job: @escaping @Sendable () -> Void) {
        inbox.withLock { $0.append(job) }
        queue.wake()
    }

    /// Stops accepting; idle connections close now, busy ones after their response or at `deadline`.
    func beginDrain(deadline: UInt64) {
        post { [self] in
            accepting = false
            queue.unregister(listener)
            drainDeadline = deadline
            draining.store(true, ordering: .relaxed)
            for connection in Array(connections.values) { connection.drain() }
        }
    }

    func run() {
        while true {
            let timeout: Int32 = drainDeadline == nil ? 250 : 50
            do {
                _ = try queue.wait(timeoutMilliseconds: timeout) { notification in
                    if notification.fd == listener {
                        acceptConnections()
                    } else if let connection = connections[notification.fd] {
                        connection.loopHandle(notification.readiness)
                    }
                }
            } catch {
                configuration.logger.error("event loop: \(error)")
            }
            let jobs = inbox.withLock { jobs -> [@Sendable () -> Void] in
                defer { jobs.removeAll(keepingCapacity: true) }
                return jobs
            }
            for job in jobs { job() }

            let now = monotonicNanoseconds()
            if now - lastSweep > 200_000_000 {
                lastSweep = now
                for connection in Array(connections.values) { connection.checkDeadline(now: now) }
            }
            if let deadline = drainDeadline {
                if connections.isEmpty { break }
                if now >= deadline {
                    for connection in Array(connections.values) { connection.forceClose() }
                    break
                }
            }
        }
    }

    private func acceptConnections() {
        while accepting {
            let fd: Int32
            do {
                guard let accepted = try Socket.accept(listener) else { return }
                fd = accepted
            } catch {
                // EMFILE/ENFILE: out of descriptors. Log and retry on the next wake-up rather than spin.
                configuration.logger.error("accept: \(error)")
                return
            }
            guard server.reserveConnectionSlot() else {
                rejectOverCapacity(fd)
                continue
            }
            let connection = Connection(fd: fd, loop: self)
            do {
                try queue.register(fd, readiness: Connection.interest)
            } catch {
                configuration.logger.error("register connection: \(error)")
                Glibc.close(fd)
                server.releaseConnectionSlot()
                continue
            }
            connections[fd] = connection
            connection.start()
        }
    }

    /// Past `maxConnections`, a short 503 (which MLflow's client retries with back-off) and close.
    private func rejectOverCapacity(_ fd: Int32) {
        let response = ErrorBoundary.errorResponse(
            status: .serviceUnavailable, code: APIError.Code.temporarilyUnavailable.rawValue, message: "Too many connections")
        var bytes = Array("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: application/json\r\n".utf8)
        if case .bytes(let body) = response.body {
            bytes += Array("Content-Length: \(body.count)\r\n\r\n".utf8) + body
        }
        _ = bytes.withUnsafeBytes { try? Socket.send(fd, $0) }
        Glibc.close(fd)
    }

    /// Loop thread: drops a connection whose descriptor is closed. Compared by identity, since a handler
    /// thread's close reaches here later, when the descriptor number may already serve a new connection.
    func forget(_ connection: Connection) {
        if connections[connection.fd] === connection { connections[connection.fd] = nil }
    }

    /// Any thread: whether shutdown has begun.
    var isDraining: Bool { draining.load(ordering: .relaxed) }
}
