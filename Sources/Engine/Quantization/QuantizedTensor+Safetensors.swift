public import JSON
/// Storage of quantized tensors inside safetensors files.
///
/// A quantized tensor `W` is written as `W` (U8 codes, shape `[rows, rowStride]`), `W.__scales` (F32, one per
/// block), for asymmetric int `W.__zero_points` (I32), and a `__metadata__` entry `mixbit.quant.W` holding a JSON
/// descriptor: format, original shape, granularity, code layout and, for OliVe, the pair rule and outlier type.
/// Plain Float32 tensors may sit in the same file.
extension QuantizedTensor {
    /// Metadata key prefix.
    public static let metadataPrefix = "mixbit.quant."
    /// Suffix of the scales tensor.
    public static let scalesSuffix = ".__scales"
    /// Suffix of the zero-points tensor.
    public static let zeroPointsSuffix = ".__zero_points"

    /// The JSON descriptor stored in the metadata.
    public var descriptor: JSONValue {
        var members: [(String, JSONValue)] = [
            ("version", .int(1)),
            ("format", .string(format.description)),
            ("bits", .int(Int64(format.bits))),
            ("shape", .array(shape.map { .int(Int64($0)) })),
            ("granularity", .string(granularity.description)),
        ]
        switch format {
        case .element:
            members.append(("layout", .string("rows, LSB-first bit stream")))
        case .olive(let f):
            members.append(("layout", .string(f.bits == 4 ? "rows, outlier-victim pairs, one byte per pair, left element in the high nibble"
                                                         : "rows, outlier-victim pairs, two bytes per pair, left element first")))
            members.append(("pair_rule", .string(f.pairRule.rawValue)))
            members.append(("outlier_type", .string(f.outlierType.description)))
        }
        return .object(JSONObject(members))
    }

    /// Rebuilds a tensor from its descriptor and buffers.
    public init(descriptor: JSONValue, codes: [UInt8], scales: [Float], zeroPoints: [Int32]) throws(FormatError) {
        guard descriptor["version"]?.integerValue == 1 else { throw .invalidOption("unsupported quantized-tensor descriptor version") }
        guard let name = descriptor["format"]?.stringValue,
              let granularityText = descriptor["granularity"]?.stringValue,
              let dims = descriptor["shape"]?.arrayValue else { throw .invalidOption("incomplete quantized-tensor descriptor") }
        var shape: [Int] = []
        for d in dims {
            guard let v = d.integerValue, v >= 0, v < Int64(Int32.max) else { throw .invalidOption("bad shape in descriptor") }
            shape.append(Int(v))
        }
        let format: QuantFormat
        if name.hasPrefix("olive-") {
            guard let ruleText = descriptor["pair_rule"]?.stringValue, let rule = OliveFormat.PairRule(rawValue: ruleText) else {
                throw .invalidOption("OliVe descriptor without a valid pair_rule")
            }
            format = .olive(try OliveFormat(name: name, pairRule: rule))
        } else {
            format = .element(try ElementType(name: name))
        }
        guard descriptor["bits"]?.integerValue == Int64(format.bits) else { throw .invalidOption("descriptor bits disagree with format \(name)") }
        try self.init(shape: shape, format: format, granularity: try Granularity(parsing: granularityText),
                      codes: codes, scales: scales, zeroPoints: zeroPoints)
    }
}

extension SafetensorsWriter {
    /// Adds a quantized tensor (codes, scales, zero-points and its descriptor).
    public mutating func add(name: String, quantized: QuantizedTensor) {
        add(name: name, dtype: .uint8, shape: [quantized.rows, quantized.rowStride], bytes: quantized.codes)
        add(name: name + QuantizedTensor.scalesSuffix, floats: quantized.scales, shape: [quantized.scales.count])
        if !quantized.zeroPoints.isEmpty {
            add(name: name + QuantizedTensor.zeroPointsSuffix, int32s: quantized.zeroPoints, shape: [quantized.zeroPoints.count])
        }
        metadata[QuantizedTensor.metadataPrefix + name] = quantized.descriptor.encodedString()
    }
}

extension SafetensorsFile {
    /// Names of the quantized tensors described in the metadata, sorted.
    public var quantizedTensorNames: [String] {
        metadata.keys.filter { $0.hasPrefix(QuantizedTensor.metadataPrefix) }
            .map { String($0.dropFirst(QuantizedTensor.metadataPrefix.count)) }.sorted()
    }

    /// Reads quantized tensor `name`.
    public func quantizedTensor(named name: String) throws(SafetensorsError) -> QuantizedTensor {
        guard let text = metadata[QuantizedTensor.metadataPrefix + name] else { throw .missingTensor(name) }
        let descriptor: JSONValue
        do { descriptor = try JSONParser.parse(text) } catch { throw .malformedHeader("descriptor of \(name): \(error.description)") }
        let codesEntry = try entry(named: name)
        guard codesEntry.dtype == .uint8 else { throw .malformedHeader("codes of \(name) must be U8") }
        let scalesEntry = try entry(named: name + QuantizedTensor.scalesSuffix)
        guard scalesEntry.dtype == .float32 else { throw .malformedHeader("scales of \(name) must be F32") }
        let scales = try tensor(named: scalesEntry.name).values
        var zeroPoints: [Int32] = []
        if let zeroEntry = entries.first(where: { $0.name == name + QuantizedTensor.zeroPointsSuffix }) {
            guard zeroEntry.dtype == .int32 else { throw .malformedHeader("zero-points of \(name) must be I32") }
            let raw = try rawBytes(named: zeroEntry.name)
            zeroPoints = raw.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }.map { Int32(littleEndian: $0) }
        }
        let codes = try rawBytes(named: name)
        do throws(FormatError) {
            return try QuantizedTensor(descriptor: descriptor, codes: codes, scales: scales, zeroPoints: zeroPoints)
        } catch {
            throw .malformedHeader("quantized tensor \(name): \(error.description)")
        }
    }
}
