#if canImport(Glibc)
import Glibc
#endif

/// The process's limit on open descriptors (`RLIMIT_NOFILE`), which bounds how many connections it can accept.
///
/// The soft limit is usually far below what a server needs and what it may use: systemd starts services with a soft
/// limit of 1 024 and a hard limit of 524 288, so `--max-connections` (10 000 by default) would end at about a
/// thousand clients with `accept: EMFILE`. Any process may raise its soft limit up to the hard one; Go's runtime
/// does so at start-up for the same reason, and nginx has `worker_rlimit_nofile`.
public enum OpenFileLimit {
    /// The soft and hard limits now.
    public static var current: (soft: UInt64, hard: UInt64)? {
        var limit = rlimit()
        guard getrlimit(resource, &limit) == 0 else { return nil }
        return (UInt64(limit.rlim_cur), UInt64(limit.rlim_max))
    }

    /// Raises the soft limit to `wanted`, or to the hard limit when that is lower; never lowers it. Returns the soft
    /// limit in force afterwards (nil when the limits cannot be read).
    @discardableResult
    public static func raise(toward wanted: UInt64) -> UInt64? {
        guard let (soft, hard) = current else { return nil }
        let target = raisedSoftLimit(soft: soft, hard: hard, wanted: wanted)
        guard target > soft else { return soft }
        var limit = rlimit(rlim_cur: rlim_t(target), rlim_max: rlim_t(hard))
        return setrlimit(resource, &limit) == 0 ? target : soft
    }

    /// The soft limit to ask for: `wanted`, capped by the hard limit, and never below the current soft limit.
    static func raisedSoftLimit(soft: UInt64, hard: UInt64, wanted: UInt64) -> UInt64 {
        max(soft, min(wanted, hard))
    }

    private static var resource: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
}
