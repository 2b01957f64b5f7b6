#if canImport(Glibc)
import Glibc
#endif

/// Instruction-set extensions of the CPU the process runs on, read once from the kernel's `/proc/cpuinfo` flags.
enum CPUFeatures {
    /// Flags that `-target-cpu haswell` lets LLVM use; `EngineKernelsX86V3` may run only when all are present.
    /// (Linux names LZCNT `abm` on both AMD and Intel.)
    static let haswellFlags: Set<String> = ["avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "popcnt", "abm"]

    /// Whether the AVX2/FMA kernels can run here.
    static let hasHaswellFeatures: Bool = {
        #if arch(x86_64)
        return haswellFlags.isSubset(of: flags(cpuinfo: readCPUInfo()))
        #else
        return false
        #endif
    }()

    /// The flags of the first processor listed in a `/proc/cpuinfo` text (empty if there is no `flags` line).
    static func flags(cpuinfo: String) -> Set<String> {
        for line in cpuinfo.split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingWhitespace() == "flags" else { continue }
            return Set(parts[1].split(separator: " ").map(String.init))
        }
        return []
    }

    /// `/proc/cpuinfo` as text, or "" where it cannot be read (then only the portable kernels run).
    private static func readCPUInfo() -> String {
        #if canImport(Glibc)
        let fd = open("/proc/cpuinfo", O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return "" }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            bytes.append(contentsOf: chunk[0 ..< n])
        }
        return String(decoding: bytes, as: UTF8.self)
        #else
        return ""
        #endif
    }
}

private extension Substring {
    func trimmingWhitespace() -> Substring {
        var s = self
        while let c = s.first, c == " " || c == "\t" { s = s.dropFirst() }
        while let c = s.last, c == " " || c == "\t" { s = s.dropLast() }
        return s
    }
}
