/// Who may touch a connection's state right now, and what arrived for it while a handler thread held it.
///
/// A connection is owned by its event loop, except while a handler thread serves a buffered request on it:
/// then that thread runs the handler, writes the response to the socket and parses any next request itself,
/// so a request costs no wake-up of the loop. The loop must not touch the state meanwhile; whatever reaches
/// it for the connection (epoll readiness, posted work) is recorded here, and the handler thread runs it
/// before giving the connection back. Guarded by a lock in `Connection`, whose lock and unlock order every
/// hand-over (release/acquire), so the two threads' accesses never overlap.
struct ConnectionOwnership {
    /// True while a handler thread owns the connection.
    var handlerOwns = false
    /// Readiness reported by epoll while the handler thread owned the connection (edge-triggered: it would
    /// not be reported again).
    var missedReadiness: EventQueue.Readiness = []
    /// Loop-side work (a streaming handler's response, a resumed read, shutdown) that arrived meanwhile.
    var deferred: [@Sendable () -> Void] = []
    /// Set when the descriptor has been closed, so shutdown never acts on a reused descriptor number.
    var descriptorClosed = false

    /// What a handler thread must do before it may give the connection back.
    enum Release {
        case released
        case work(EventQueue.Readiness, [@Sendable () -> Void])
    }

    /// Gives the connection back to the loop when nothing arrived meanwhile; otherwise hands over the
    /// recorded work, keeping ownership, so it runs on the handler thread first.
    mutating func release() -> Release {
        if missedReadiness.isEmpty && deferred.isEmpty {
            handlerOwns = false
            return .released
        }
        let work = Release.work(missedReadiness, deferred)
        missedReadiness = []
        deferred = []
        return work
    }
}
