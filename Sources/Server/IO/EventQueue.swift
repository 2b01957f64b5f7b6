#if canImport(Glibc)
import Glibc
#endif
import CEpoll

/// One epoll instance plus an eventfd used to wake it from other threads (handler completions, shutdown).
///
/// Descriptors are registered edge-triggered, so the owner must drain reads and writes until EAGAIN.
/// Only the loop thread that owns the queue calls `wait`; `wake()` may be called from any thread.
final class EventQueue: @unchecked Sendable {
    // Safe to share: `epollFD` and `wakeFD` are immutable after init; `wake()` only writes to the eventfd,
    // which the kernel serialises; everything else is called by the owning loop thread alone.
    private let epollFD: Int32
    let wakeFD: Int32
    private var events: [epoll_event]

    struct Readiness: OptionSet {
        let rawValue: UInt32
        static let readable = Readiness(rawValue: EPOLLIN.rawValue)
        static let writable = Readiness(rawValue: EPOLLOUT.rawValue)
        static let hangup = Readiness(rawValue: EPOLLRDHUP.rawValue | EPOLLHUP.rawValue)
        static let error = Readiness(rawValue: EPOLLERR.rawValue)
    }

    struct Notification {
        let fd: Int32
        let readiness: Readiness
    }

    init(capacity: Int = 512) throws {
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epollFD >= 0 else { throw SocketError.fromErrno("epoll_create1") }
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard wakeFD >= 0 else {
            let error = SocketError.fromErrno("eventfd")
            close(epollFD)
            throw error
        }
        events = Array(repeating: epoll_event(), count: capacity)
        try register(wakeFD, readiness: .readable)
    }

    deinit {
        close(wakeFD)
        close(epollFD)
    }

    /// Adds a descriptor, edge-triggered. `exclusive` sets EPOLLEXCLUSIVE, so a listener shared by several
    /// loops wakes only one of them per incoming connection.
    func register(_ fd: Int32, readiness: Readiness, exclusive: Bool = false) throws {
        var event = epoll_event()
        event.events = readiness.rawValue | EPOLLET.rawValue | (exclusive ? EPOLLEXCLUSIVE.rawValue : 0)
        event.data.fd = fd
        guard epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) == 0 else { throw SocketError.fromErrno("epoll_ctl(ADD)") }
    }

    /// Changes a registered descriptor's interest set (edge-triggered). An empty set stops its reports but
    /// EPOLLERR/EPOLLHUP; restoring readiness that already holds reports it at once (epoll_ctl re-checks).
    func modify(_ fd: Int32, readiness: Readiness) {
        var event = epoll_event()
        event.events = readiness.rawValue | EPOLLET.rawValue
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    func unregister(_ fd: Int32) {
        // Closing a descriptor removes it from epoll anyway; an explicit DEL keeps a dup'd fd from lingering.
        var event = epoll_event()
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
    }

    /// Blocks until at least one descriptor is ready, the queue is woken, or `timeoutMilliseconds` passes.
    /// A wake-up through `wake()` is consumed here and reported as `wokenUp`.
    func wait(timeoutMilliseconds: Int32, _ body: (Notification) -> Void) throws -> (count: Int, wokenUp: Bool) {
        let count = events.withUnsafeMutableBufferPointer {
            epoll_wait(epollFD, $0.baseAddress, Int32($0.count), timeoutMilliseconds)
        }
        if count < 0 {
            // EINTR is not a failure: a signal arrived while waiting.
            if errno == EINTR { return (0, false) }
            throw SocketError.fromErrno("epoll_wait")
        }
        var woken = false
        for index in 0..<Int(count) {
            let event = events[index]
            if event.data.fd == wakeFD {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
                woken = true
            } else {
                body(Notification(fd: event.data.fd, readiness: Readiness(rawValue: event.events)))
            }
        }
        return (Int(count), woken)
    }

    /// Wakes the thread blocked in `wait`. Callable from any thread.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }
}
