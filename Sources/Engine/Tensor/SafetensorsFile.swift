import JSON
/// One tensor record of a safetensors header.
public struct SafetensorsEntry: Sendable, Equatable {
    /// Tensor name.
    public let name: String
    /// Element type.
    public let dtype: SafetensorsDType
    /// Shape, outermost first.
    public let shape: [Int]
    /// Byte range relative to the start of the data section.
    public let byteRange: Range<Int>

    /// Number of elements.
    public var elementCount: Int { Tensor.elementCount(of: shape) }
}

/// A memory-mapped safetensors file (https://github.com/huggingface/safetensors, "Format" section):
/// 8-byte little-endian header length N, N bytes of JSON header, then the raw little-endian data.
/// The header is fully validated when the file is opened, so later reads cannot go out of bounds.
public struct SafetensorsFile: Sendable {
    /// Upper bound on the header size; the reference implementation refuses headers over 100 MB.
    public static let maximumHeaderBytes = 100_000_000

    /// The tensors, in header order.
    public let entries: [SafetensorsEntry]
    /// The free-form string map stored under `__metadata__`.
    public let metadata: [String: String]
    private let file: MappedFile
    private let dataStart: Int

    /// Opens and validates `path`.
    public init(path: String) throws(SafetensorsError) {
        let mapped = try MappedFile(path: path)
        let parsed = try SafetensorsFile.parseHeader(mapped.bytes)
        file = mapped
        entries = parsed.entries
        metadata = parsed.metadata
        dataStart = parsed.dataStart
    }

    /// The record for `name`.
    public func entry(named name: String) throws(SafetensorsError) -> SafetensorsEntry {
        guard let entry = entries.first(where: { $0.name == name }) else { throw .missingTensor(name) }
        return entry
    }

    /// A copy of the raw little-endian bytes of `name`.
    public func rawBytes(named name: String) throws(SafetensorsError) -> [UInt8] {
        let entry = try entry(named: name)
        let start = dataStart + entry.byteRange.lowerBound
        return Array(file.bytes[start ..< start + entry.byteRange.count])
    }

    /// Tensor `name` converted to Float32 (integers convert exactly up to 2^24).
    public func tensor(named name: String) throws(SafetensorsError) -> Tensor {
        let entry = try entry(named: name)
        let count = entry.elementCount
        let source = UnsafeRawBufferPointer(rebasing: file.bytes[(dataStart + entry.byteRange.lowerBound)...]
            .prefix(entry.byteRange.count))
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { out in
            switch entry.dtype {
            case .float32:
                UnsafeMutableRawBufferPointer(out).copyMemory(from: source)
            case .float16:
                for i in 0..<count {
                    out[i] = Float(Float16(bitPattern: source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .bfloat16:
                // BF16 is the top half of a Float32.
                for i in 0..<count {
                    let bits = UInt32(source.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)) << 16
                    out[i] = Float(bitPattern: bits)
                }
            case .int8:
                for i in 0..<count { out[i] = Float(Int8(bitPattern: source[i])) }
            case .uint8:
                for i in 0..<count { out[i] = Float(source[i]) }
            case .int32:
                for i in 0..<count { out[i] = Float(source.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self)) }
            case .int64:
                for i in 0..<count { out[i] = Float(source.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self)) }
            }
        }
        return Tensor(shape: entry.shape, values: values)
    }

    /// Validates the header of a complete file image and returns its records.
    static func parseHeader(_ bytes: UnsafeRawBufferPointer) throws(SafetensorsError)
        -> (entries: [SafetensorsEntry], metadata: [String: String], dataStart: Int) {
        guard bytes.count >= 8 else { throw .truncated("\(bytes.count) bytes, need at least 8 for the header length") }
        let declared = UInt64(littleEndian: bytes.loadUnaligned(as: UInt64.self))
        guard declared <= UInt64(maximumHeaderBytes) else { throw .malformedHeader("header length \(declared) is absurd") }
        let headerLength = Int(declared)
        guard 8 + headerLength <= bytes.count else {
            throw .truncated("header claims \(headerLength) bytes but only \(bytes.count - 8) follow")
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: bytes[8 ..< 8 + headerLength]))
        } catch {
            throw .malformedHeader(error.description)
        }
        guard let members = json.objectValue else { throw .malformedHeader("header is not a JSON object") }
        let dataStart = 8 + headerLength
        let dataSize = bytes.count - dataStart
        var entries: [SafetensorsEntry] = []
        var metadata: [String: String] = [:]
        var seen = Set<String>()
        for (name, value) in members {
            if name == "__metadata__" {
                guard let pairs = value.objectValue else { throw .malformedHeader("__metadata__ is not an object") }
                for (key, item) in pairs {
                    guard let text = item.stringValue else { throw .malformedHeader("__metadata__[\(key)] is not a string") }
                    metadata[key] = text
                }
                continue
            }
            guard seen.insert(name).inserted else { throw .duplicateTensor(name) }
            entries.append(try parseEntry(name: name, value, dataSize: dataSize))
        }
        // Every byte range must be disjoint from the others (safetensors forbids overlapping tensors).
        let byStart = entries.sorted { ($0.byteRange.lowerBound, $0.byteRange.upperBound) < ($1.byteRange.lowerBound, $1.byteRange.upperBound) }
        for (a, b) in zip(byStart, byStart.dropFirst()) where !a.byteRange.isEmpty && !b.byteRange.isEmpty {
            if b.byteRange.lowerBound < a.byteRange.upperBound { throw .overlappingTensors(a.name, b.name) }
        }
        return (entries, metadata, dataStart)
    }

    private static func parseEntry(name: String, _ value: JSONValue, dataSize: Int) throws(SafetensorsError) -> SafetensorsEntry {
        guard let dtypeText = value["dtype"]?.stringValue else { throw .malformedHeader("tensor \(name) has no dtype") }
        guard let dtype = SafetensorsDType(rawValue: dtypeText) else { throw .unsupportedDType(tensor: name, dtype: dtypeText) }
        guard let dims = value["shape"]?.arrayValue else { throw .malformedHeader("tensor \(name) has no shape") }
        var shape: [Int] = []
        var count = 1
        for dim in dims {
            guard let d = dim.integerValue, d >= 0, d <= Int64(Int.max) else {
                throw .invalidShape(tensor: name, shape: JSONValue.array(dims).encodedString())
            }
            let (product, overflow) = count.multipliedReportingOverflow(by: Int(d))
            guard !overflow else { throw .invalidShape(tensor: name, shape: JSONValue.array(dims).encodedString()) }
            count = product
            shape.append(Int(d))
        }
        guard let offsets = value["data_offsets"]?.arrayValue, offsets.count == 2,
              let begin = offsets[0].integerValue, let end = offsets[1].integerValue else {
            throw .malformedHeader("tensor \(name) needs data_offsets [begin, end]")
        }
        guard begin >= 0, begin <= end else { throw .invalidOffsets(tensor: name, reason: "begin \(begin) > end \(end)") }
        guard end <= Int64(dataSize) else {
            throw .truncated("tensor \(name) ends at byte \(end) of a \(dataSize)-byte data section")
        }
        let (needed, overflow) = count.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow, Int64(needed) == end - begin else {
            throw .invalidOffsets(tensor: name, reason: "\(end - begin) bytes given, dtype × shape needs \(overflow ? "more than Int.max" : String(needed))")
        }
        return SafetensorsEntry(name: name, dtype: dtype, shape: shape, byteRange: Int(begin) ..< Int(end))
    }
}
