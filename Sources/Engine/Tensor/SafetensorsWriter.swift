import JSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Builds a safetensors file: tensors are laid out in insertion order, the header is padded with spaces to a
/// multiple of 8 bytes so the data section starts aligned.
public struct SafetensorsWriter: Sendable {
    private var records: [(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8])] = []
    /// Free-form string metadata written under `__metadata__`.
    public var metadata: [String: String] = [:]

    /// Creates an empty writer.
    public init() {}

    /// Adds a tensor given as raw little-endian bytes.
    public mutating func add(name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) {
        precondition(name != "__metadata__", "reserved tensor name")
        precondition(!records.contains { $0.name == name }, "tensor \(name) added twice")
        precondition(Tensor.elementCount(of: shape) * dtype.byteSize == bytes.count, "tensor \(name): byte count does not match shape")
        records.append((name, dtype, shape, bytes))
    }

    /// Adds a Float32 tensor.
    public mutating func add(name: String, tensor: Tensor) {
        add(name: name, dtype: .float32, shape: tensor.shape, bytes: tensor.withUnsafeBufferPointer { Array(UnsafeRawBufferPointer($0)) })
    }

    /// Adds a Float32 vector.
    public mutating func add(name: String, floats: [Float], shape: [Int]) {
        add(name: name, dtype: .float32, shape: shape, bytes: floats.withUnsafeBytes { Array($0) })
    }

    /// Adds an Int32 vector.
    public mutating func add(name: String, int32s: [Int32], shape: [Int]) {
        add(name: name, dtype: .int32, shape: shape, bytes: int32s.withUnsafeBytes { Array($0) })
    }

    /// The complete file image.
    public func serialized() -> [UInt8] {
        var members: [(String, JSONValue)] = []
        if !metadata.isEmpty {
            members.append(("__metadata__", .object(JSONObject(metadata.keys.sorted().map { ($0, JSONValue.string(metadata[$0]!)) }))))
        }
        var offset = 0
        for record in records {
            members.append((record.name, .object([
                ("dtype", .string(record.dtype.rawValue)),
                ("shape", .array(record.shape.map { .int(Int64($0)) })),
                ("data_offsets", .array([.int(Int64(offset)), .int(Int64(offset + record.bytes.count))])),
            ])))
            offset += record.bytes.count
        }
        var header = Array(JSONValue.object(JSONObject(members)).encodedString().utf8)
        while header.count % 8 != 0 { header.append(0x20) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for record in records { out.append(contentsOf: record.bytes) }
        return out
    }

    /// Writes the file atomically (temporary file, then rename).
    public func write(to path: String) throws(SafetensorsError) {
        let image = serialized()
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .io(path: temporary, operation: "open", errno: errno) }
        var written = 0
        let failure: Int32? = image.withUnsafeBytes { raw in
            while written < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + written, raw.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                written += n
            }
            return nil
        }
        close(fd)
        if let failure {
            unlink(temporary)
            throw .io(path: temporary, operation: "write", errno: failure)
        }
        guard rename(temporary, path) == 0 else { throw .io(path: path, operation: "rename", errno: errno) }
    }
}
