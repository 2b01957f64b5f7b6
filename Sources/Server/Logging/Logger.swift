#if canImport(Glibc)
import Glibc
#endif

/// A minimal leveled logger writing one line per event to standard error. Messages are autoclosures, so a
/// disabled level costs nothing. `.disabled` is the default in tests.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable, CaseIterable {
        case debug, info, warning, error, off

        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }

        public init?(name: String) {
            guard let level = Level.allCases.first(where: { "\($0)" == name.lowercased() }) else { return nil }
            self = level
        }
    }

    public let level: Level

    public init(level: Level) {
        self.level = level
    }

    public static let disabled = Logger(level: .off)

    public func debug(_ message: @autoclosure () -> String) { log(.debug, message) }
    public func info(_ message: @autoclosure () -> String) { log(.info, message) }
    public func warning(_ message: @autoclosure () -> String) { log(.warning, message) }
    public func error(_ message: @autoclosure () -> String) { log(.error, message) }

    public func isEnabled(_ candidate: Level) -> Bool { candidate >= level && level != .off }

    private func log(_ candidate: Level, _ message: () -> String) {
        guard isEnabled(candidate) else { return }
        // One write(2) per line: lines from different threads never interleave.
        var line = Array("level=\(candidate) \(message())\n".utf8)
        _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
    }
}
