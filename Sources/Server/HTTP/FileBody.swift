#if canImport(Glibc)
import Glibc
#endif

/// An open file (or a region of it) to send as a response body. Owns its descriptor and closes it once.
public final class FileBody: @unchecked Sendable {
    // Safe to share: the descriptor is immutable; reads go through pread/sendfile with explicit offsets,
    // and only the one connection sending the response uses it.
    let fd: Int32
    public let offset: Int
    public let length: Int

    /// Opens a regular file for reading. Throws `SocketError` (ENOENT, EISDIR, …) when it cannot be sent.
    public convenience init(path: String) throws {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SocketError.fromErrno("open") }
        try self.init(ownedDescriptor: fd)
    }

    /// Takes ownership of an open descriptor, which must name a regular file; on failure it is closed and the
    /// error is `SocketError` (EISDIR for a directory or anything else that is not a regular file).
    init(ownedDescriptor fd: Int32) throws {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let error = SocketError.fromErrno("fstat")
            close(fd)
            throw error
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw SocketError(call: "open", errno: EISDIR)
        }
        self.fd = fd
        self.offset = 0
        self.length = Int(info.st_size)
    }

    deinit { close(fd) }
}
