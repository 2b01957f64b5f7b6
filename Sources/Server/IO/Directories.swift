#if canImport(Glibc)
import Glibc
#endif

/// Directory creation for the server's data folders.
public enum Directories {
    /// Creates `path` and any missing parents (`mkdir -p`). Throws `SocketError` with the failing call.
    public static func create(_ path: String) throws {
        var built = path.hasPrefix("/") ? "" : "."
        for segment in path.split(separator: "/") {
            built += "/" + segment
            if mkdir(built, 0o755) != 0 && errno != EEXIST { throw SocketError.fromErrno("mkdir") }
        }
    }
}
