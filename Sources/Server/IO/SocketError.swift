#if canImport(Glibc)
import Glibc
#endif

/// A failed system call on a socket, file or event queue. `errno` and its text are captured at the throw
/// site, because errno is only meaningful right after the call that failed.
public struct SocketError: Error, CustomStringConvertible, Sendable {
    public let call: String
    public let errno: Int32
    public let message: String

    public init(call: String, errno: Int32) {
        self.call = call
        self.errno = errno
        self.message = String(cString: strerror(errno))
    }

    /// Builds the error from the current `errno` right after `call` returned -1.
    static func fromErrno(_ call: StaticString) -> SocketError {
        SocketError(call: "\(call)", errno: Glibc.errno)
    }

    public var description: String { "\(call) failed: \(message) (errno \(errno))" }
}
