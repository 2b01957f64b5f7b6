import Engine
#if canImport(Glibc)
import Glibc
#endif

/// Helpers shared by the Engine tests.
enum TestSupport {
    /// A unique temporary file path (removed by the caller with `remove`).
    static func temporaryPath(_ tag: String) -> String {
        var rng = SystemRandomNumberGenerator()
        return "/tmp/mixbit-engine-test-\(getpid())-\(tag)-\(rng.next() & 0xFFFF_FFFF).safetensors"
    }

    /// Writes raw bytes to `path`.
    static func writeFile(_ path: String, _ bytes: [UInt8]) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        precondition(fd >= 0)
        _ = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }

    /// A safetensors image with a hand-written header.
    static func safetensorsImage(header: String, data: [UInt8]) -> [UInt8] {
        let h = Array(header.utf8)
        var out: [UInt8] = []
        withUnsafeBytes(of: UInt64(h.count).littleEndian) { out.append(contentsOf: $0) }
        return out + h + data
    }

    /// Uniform random floats in [−1, 1).
    static func randomValues(_ count: Int, rng: inout SplitMix64, scale: Float = 1) -> [Float] {
        (0 ..< count).map { _ in Float.random(in: -1 ..< 1, using: &rng) * scale }
    }

    /// Roughly Gaussian values (sum of uniforms) with planted outliers every `outlierEvery` elements.
    static func valuesWithOutliers(_ count: Int, outlierEvery: Int, rng: inout SplitMix64) -> [Float] {
        (0 ..< count).map { i in
            let g = (0 ..< 4).reduce(Float(0)) { acc, _ in acc + Float.random(in: -1 ..< 1, using: &rng) } / 2
            if i % outlierEvery == outlierEvery / 2 { return g * 40 + (g < 0 ? -10 : 10) }
            return g
        }
    }
}
