@testable import Server
#if canImport(Glibc)
import Glibc
#endif

/// A child process with its standard error captured, for tests that run the real `mixbit` binary.
final class ChildProcess {
    let pid: pid_t
    private let stderrFD: Int32
    private var captured: [UInt8] = []

    /// The `mixbit` executable built beside the test bundle.
    static var mixbitPath: String {
        var buffer = [Int8](repeating: 0, count: 4096)
        let n = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        let exe = String(decoding: buffer[0..<max(n, 0)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let directory = exe[..<(exe.lastIndex(of: "/") ?? exe.endIndex)]
        return directory + "/mixbit"
    }

    init(_ arguments: [String], environment: [String] = []) throws {
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw TestClientError(errno: errno) }
        // The read end must not leak into the child; the write end is dup'd onto its stderr.
        _ = fcntl(pipeFDs[0], F_SETFD, FD_CLOEXEC)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        posix_spawn_file_actions_adddup2(&actions, pipeFDs[1], 2)
        posix_spawn_file_actions_addclose(&actions, pipeFDs[1])
        let argv = arguments.map { strdup($0) } + [nil]
        let env = environment.map { strdup($0) } + [nil]
        var child: pid_t = 0
        let status = posix_spawn(&child, arguments[0], &actions, nil, argv, env)
        posix_spawn_file_actions_destroy(&actions)
        argv.forEach { free($0) }
        env.forEach { free($0) }
        close(pipeFDs[1])
        guard status == 0 else {
            close(pipeFDs[0])
            throw TestClientError(errno: status)
        }
        pid = child
        stderrFD = pipeFDs[0]
    }

    deinit {
        kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        close(stderrFD)
    }

    /// Reads standard error until a line containing `marker` appears; returns that line.
    func waitForLine(containing marker: String, timeoutSeconds: Int32 = 30) throws -> String {
        var poller = pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)
        while true {
            // Only complete lines count: a line may arrive in several reads.
            let text = String(decoding: captured, as: UTF8.self)
            let complete = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
            if let line = complete.first(where: { $0.contains(marker) }) { return String(line) }
            guard poll(&poller, 1, timeoutSeconds * 1000) > 0 else { throw TestClientError(errno: ETIMEDOUT) }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let n = read(stderrFD, &chunk, chunk.count)
            guard n > 0 else { throw TestClientError(errno: EPIPE) }
            captured += chunk[0..<n]
        }
    }

    /// The port from the server's "listening … port=N" line.
    func waitForListeningPort() throws -> UInt16 {
        let line = try waitForLine(containing: "listening")
        let field = line.split(separator: " ").first { $0.hasPrefix("port=") }!
        return UInt16(field.dropFirst(5))!
    }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits for the exit; returns the exit code, or nil when killed by a signal or still running at the deadline.
    func waitForExit(timeoutSeconds: Double) -> Int32? {
        let deadline = monotonicNanoseconds() + UInt64(timeoutSeconds * 1e9)
        while monotonicNanoseconds() < deadline {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                // WIFEXITED / WEXITSTATUS, which Swift does not import as macros.
                return status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
            }
            usleep(20_000)
        }
        return nil
    }

    /// Open descriptors of the child, from /proc.
    var openDescriptorCount: Int {
        guard let dir = opendir("/proc/\(pid)/fd") else { return -1 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
            if name != "." && name != ".." { count += 1 }
        }
        return count - 1  // the directory stream itself belongs to us, not the child
    }
}
