import Foundation

/// Wall-clock time in the unit MLflow uses everywhere: milliseconds since the Unix epoch.
enum WallClock {
    static func nowMilliseconds() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded()) }
}
