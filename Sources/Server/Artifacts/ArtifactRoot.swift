#if canImport(Glibc)
import Glibc
#endif

/// The directory behind `--artifacts-destination`, and the only code that touches files in it.
///
/// Every path is split into validated segments and walked one directory at a time with `openat` and
/// `O_NOFOLLOW`, so no `..`, absolute path or symbolic link can lead outside the root, whatever the files on
/// disk look like. Uploads go to a hidden temporary file that is renamed into place when complete, so a reader
/// never sees half a file and an interrupted upload leaves nothing behind.
public final class ArtifactRoot: Sendable {
    public let path: String

    /// A file or directory directly inside a listed directory.
    public struct Entry: Sendable, Equatable {
        public let name: String
        public let isDirectory: Bool
        /// Bytes, for files only.
        public let size: Int64?
    }

    static let uploadPrefix = ".mixbit-upload-"
    static let maxNameBytes = 255
    /// Directories below the root that a path may name. Deleting a tree walks it recursively, one stack frame and one
    /// open directory per level; trees deeper than this (made outside the server) are refused, not followed.
    static let maxDepth = 128

    /// Creates the root directory (and its parents) when missing.
    public init(path: String) throws {
        self.path = path
        try Directories.create(path)
    }

    /// Splits a client-supplied relative path into segments, rejecting anything that could escape the root
    /// (MLFLOW_API.md §5.3: `..`, absolute paths, backslashes and `#` are refused with 400).
    public static func segments(of relativePath: String) throws -> [String] {
        if relativePath.isEmpty { return [] }
        guard !relativePath.hasPrefix("/") else { throw invalid("Absolute artifact paths are not allowed") }
        guard !relativePath.contains("\\"), !relativePath.contains("#"), !relativePath.utf8.contains(0) else {
            throw invalid("Artifact paths may not contain backslashes, '#' or NUL")
        }
        var parts: [String] = []
        for part in relativePath.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            guard part != ".." else { throw invalid("Artifact paths may not contain '..'") }
            guard !part.hasPrefix(uploadPrefix) else { throw invalid("Artifact names may not start with \(uploadPrefix)") }
            // Linux's NAME_MAX: a longer name fails in the file system (ENAMETOOLONG), as a server error.
            guard part.utf8.count <= maxNameBytes else {
                throw invalid("Artifact path components are at most \(maxNameBytes) bytes; one has \(part.utf8.count)")
            }
            parts.append(String(part))
        }
        guard parts.count <= maxDepth else {
            throw invalid("Artifact paths have at most \(maxDepth) components; this one has \(parts.count)")
        }
        return parts
    }

    private static func invalid(_ message: String) -> APIError { APIError(.invalidParameterValue, message) }

    // MARK: - Operations

    /// Streams `body` into the file at `segments`, creating directories as needed; replaces an existing file.
    /// Returns the number of bytes written.
    public func write(_ segments: [String], from body: RequestBodyStream) throws -> Int {
        guard let name = segments.last else { throw Self.invalid("An artifact upload needs a file name") }
        let directory = try openDirectory(segments.dropLast(), create: true)
        defer { close(directory) }
        var random = SystemRandomNumberGenerator()
        let temporary = Self.uploadPrefix + String(random.next(), radix: 36)
        let fd = openat(directory, temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o644)
        guard fd >= 0 else { throw SocketError.fromErrno("openat") }
        var written = 0
        do {
            defer { close(fd) }
            while let chunk = try body.read() {
                try chunk.withUnsafeBytes { raw in
                    var offset = 0
                    while offset < raw.count {
                        let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                        if n < 0 {
                            if errno == EINTR { continue }
                            throw SocketError.fromErrno("write")
                        }
                        offset += n
                    }
                }
                written += chunk.count
            }
        } catch {
            unlinkat(directory, temporary, 0)
            throw error
        }
        // A directory of the same name cannot be replaced by a file.
        var info = stat()
        if fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0, (info.st_mode & S_IFMT) != S_IFREG {
            unlinkat(directory, temporary, 0)
            throw Self.invalid("'\(segments.joined(separator: "/"))' exists and is not a regular file")
        }
        guard renameat(directory, temporary, directory, name) == 0 else {
            let error = SocketError.fromErrno("renameat")
            unlinkat(directory, temporary, 0)
            throw error
        }
        return written
    }

    /// Opens a regular file for sending. Missing → 404 RESOURCE_DOES_NOT_EXIST; a directory → 400.
    public func openFile(_ segments: [String]) throws -> FileBody {
        guard let name = segments.last else { throw Self.invalid("The artifact root is a directory, not a file") }
        let directory = try openDirectory(segments.dropLast(), create: false)
        defer { close(directory) }
        let fd = openat(directory, name, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw missingOrFailed(segments) }
        do {
            return try FileBody(ownedDescriptor: fd)
        } catch let error as SocketError where error.errno == EISDIR {
            throw Self.invalid("'\(segments.joined(separator: "/"))' is a directory, not a file")
        }
    }

    /// The entries of a directory, sorted by name. A missing path or a file lists as empty, which is how the
    /// MLflow client tells files from directories (MLFLOW_API.md §5.3).
    public func list(_ segments: [String]) throws -> [Entry] {
        let directory: Int32
        do {
            directory = try openDirectory(segments, create: false)
        } catch let error as APIError where error.code == .resourceDoesNotExist {
            return []
        }
        guard let stream = fdopendir(directory) else {
            close(directory)
            throw SocketError.fromErrno("fdopendir")
        }
        defer { closedir(stream) }
        var entries: [Entry] = []
        while let entry = readdir(stream) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name == "." || name == ".." || name.hasPrefix(Self.uploadPrefix) { continue }
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFDIR: entries.append(Entry(name: name, isDirectory: true, size: nil))
            case S_IFREG: entries.append(Entry(name: name, isDirectory: false, size: Int64(info.st_size)))
            default: continue  // symbolic links and devices are never served
            }
        }
        return entries.sorted { $0.name < $1.name }
    }

    /// Deletes a file or a whole directory tree. Deleting what is not there succeeds.
    public func delete(_ segments: [String]) throws {
        guard let name = segments.last else { throw Self.invalid("The artifact root itself cannot be deleted") }
        let directory: Int32
        do {
            directory = try openDirectory(segments.dropLast(), create: false)
        } catch let error as APIError where error.code == .resourceDoesNotExist {
            return
        }
        defer { close(directory) }
        try removeTree(in: directory, name: name)
    }

    private func removeTree(in directory: Int32, name: String, depth: Int = 0) throws {
        guard depth <= Self.maxDepth else {
            throw APIError(.invalidParameterValue, "The artifact tree is more than \(Self.maxDepth) directories deep")
        }
        var info = stat()
        guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            let child = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0, let stream = fdopendir(child) else { throw SocketError.fromErrno("openat") }
            var names: [String] = []
            while let entry = readdir(stream) {
                let entryName = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                if entryName != "." && entryName != ".." { names.append(entryName) }
            }
            defer { closedir(stream) }
            for entryName in names { try removeTree(in: child, name: entryName, depth: depth + 1) }
            guard unlinkat(directory, name, AT_REMOVEDIR) == 0 else { throw SocketError.fromErrno("unlinkat") }
        } else {
            guard unlinkat(directory, name, 0) == 0 || errno == ENOENT else { throw SocketError.fromErrno("unlinkat") }
        }
    }

    // MARK: - Walking

    /// Opens the directory at `segments` below the root, one component at a time, never following links.
    private func openDirectory<S: Sequence<String>>(_ segments: S, create: Bool) throws -> Int32 {
        var current = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard current >= 0 else { throw SocketError.fromErrno("open(artifact root)") }
        var walked: [String] = []
        for segment in segments {
            walked.append(segment)
            if create && mkdirat(current, segment, 0o755) != 0 && errno != EEXIST {
                let error = SocketError.fromErrno("mkdirat")
                close(current)
                throw error
            }
            let next = openat(current, segment, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            let failure = errno
            close(current)
            guard next >= 0 else {
                if failure == ENOENT { throw APIError(.resourceDoesNotExist, "No artifact at '\(walked.joined(separator: "/"))'") }
                // ENOTDIR: a file where a directory should be; ELOOP: a symbolic link, refused.
                if failure == ENOTDIR || failure == ELOOP {
                    if create { throw Self.invalid("'\(walked.joined(separator: "/"))' is not a directory") }
                    throw APIError(.resourceDoesNotExist, "No artifact at '\(walked.joined(separator: "/"))'")
                }
                throw SocketError(call: "openat", errno: failure)
            }
            current = next
        }
        return current
    }

    private func missingOrFailed(_ segments: [String]) -> any Error {
        switch errno {
        case ENOENT, ELOOP, ENOTDIR: return APIError(.resourceDoesNotExist, "No artifact at '\(segments.joined(separator: "/"))'")
        default: return SocketError.fromErrno("openat")
        }
    }
}
