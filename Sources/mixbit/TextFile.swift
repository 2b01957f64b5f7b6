#if canImport(Glibc)
import Glibc
#endif

/// Writes small text files (reports) with plain POSIX calls.
enum TextFile {
    /// Replaces `path` with `text`.
    static func write(_ text: String, to path: String) throws {
        guard let handle = fopen(path, "w") else { throw QuantizeCommandError("\(path): cannot open for writing (errno \(errno))") }
        defer { fclose(handle) }
        let bytes = Array(text.utf8)
        guard fwrite(bytes, 1, bytes.count, handle) == bytes.count else { throw QuantizeCommandError("\(path): write failed") }
    }
}
