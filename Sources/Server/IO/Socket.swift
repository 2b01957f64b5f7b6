#if canImport(Glibc)
import Glibc
#endif
import CEpoll

/// Thin wrappers over the socket system calls the server uses. Core code calls these rather than Glibc, so
/// every call site handles errors the same way, and writes never raise SIGPIPE (MSG_NOSIGNAL).
enum Socket {
    /// The outcome of a non-blocking read or write.
    enum IOResult: Equatable {
        case transferred(Int)
        case wouldBlock
        case endOfStream
    }

    /// Opens a non-blocking, close-on-exec TCP socket bound to `host:port` and listening.
    /// Port 0 picks an ephemeral port; `boundPort(_:)` tells which.
    static func makeListener(host: String, port: UInt16, backlog: Int32 = 1024) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host.isEmpty ? nil : host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SocketError(call: "getaddrinfo(\(host))", errno: status == EAI_SYSTEM ? Glibc.errno : EINVAL)
        }
        defer { freeaddrinfo(list) }

        var lastError = SocketError(call: "bind", errno: EADDRNOTAVAIL)
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let info = cursor {
            cursor = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            if fd < 0 {
                lastError = .fromErrno("socket")
                continue
            }
            var one: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
            if bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) != 0 {
                lastError = .fromErrno("bind")
                close(fd)
                continue
            }
            if listen(fd, backlog) != 0 {
                lastError = .fromErrno("listen")
                close(fd)
                continue
            }
            return fd
        }
        throw lastError
    }

    /// The local port a socket is bound to.
    static func boundPort(_ fd: Int32) throws -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let result = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard result == 0 else { throw SocketError.fromErrno("getsockname") }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin6_port) }
            }
        default:
            throw SocketError(call: "getsockname", errno: EAFNOSUPPORT)
        }
    }

    /// Accepts one pending connection as a non-blocking, close-on-exec socket; nil when none is pending.
    static func accept(_ listener: Int32) throws -> Int32? {
        while true {
            let fd = cepoll_accept_nonblocking(listener)
            if fd >= 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return fd
            }
            switch Glibc.errno {
            case EINTR: continue
            // Connections that died in the backlog are not the listener's failure (accept(2), "Error handling").
            case EAGAIN, ECONNABORTED, EPROTO, EPERM: return nil
            default: throw SocketError.fromErrno("accept4")
            }
        }
    }

    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .transferred(n) }
            // A count of 0 is end of stream; errno is only valid after -1.
            if n == 0 { return .endOfStream }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case ECONNRESET: return .endOfStream
            default: throw SocketError.fromErrno("read")
            }
        }
    }

    static func send(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws -> IOResult {
        while true {
            let n = Glibc.send(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .transferred(n) }
            switch Glibc.errno {
            case EINTR: continue
            case EAGAIN: return .wouldBlock
            case EPIPE, ECONNRESET: return .endOfStream
            default: throw SocketError.fromErrno("send")
            }
        }
    }
}
