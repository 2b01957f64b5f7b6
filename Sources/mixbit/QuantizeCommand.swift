import JSON
import ArgumentParser
import Engine

/// `mixbit quantize`: quantizes the matrices of a safetensors file and writes packed weights, optionally the
/// fake-quantized Float32 tensors and a JSON report.
struct QuantizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quantize",
        abstract: "Quantize every matching tensor of two or more dimensions in a safetensors file.",
        discussion: """
        Quantized tensors are stored as packed codes plus per-block scales, described in the file's metadata \
        (mixbit.quant.<name>). Other tensors are copied unchanged.
        """
    )

    @Argument(help: "Input .safetensors file.")
    var input: String

    @Argument(help: "Output .safetensors file with the quantized tensors.")
    var output: String

    @Option(help: "int, int-sym, int-asym, pot, flint, float-eXmY, ant or olive.")
    var format: String

    @Option(help: "Bits per element: 2, 3, 4, 5, 6 or 8 (OliVe: 4 or 8).")
    var bits: Int

    @Option(help: "tensor, channel or group:G.")
    var granularity: String = "channel"

    @Option(help: "Only quantize tensors whose name matches this regular expression (anywhere in the name).")
    var tensors: String?

    @Option(help: "Also write the fake-quantized Float32 tensors to this file.")
    var dequantized: String?

    @Option(help: "Write a JSON report to this file.")
    var report: String?

    @Option(help: "ANT candidate set: Int, IP, FIP, IP-F or FIP-F.")
    var antSet: String = "FIP-F"

    @Option(help: "OliVe outlier-outlier rule: keep-larger (paper) or keep-left (reference code).")
    var olivePairRule: String = "keep-larger"

    @Option(help: "OliVe 8-bit outlier type: e2m5 (reference code) or e4m3 (paper).")
    var oliveAbfloat8: String = "e2m5"

    @Option(help: "Worker threads (default: all cores).")
    var threads: Int?

    func run() throws {
        guard let set = AntCandidateSet(rawValue: antSet) else { throw ValidationError("unknown ANT set \(antSet)") }
        guard let rule = OliveFormat.PairRule(rawValue: olivePairRule) else { throw ValidationError("unknown pair rule \(olivePairRule)") }
        guard let abfloat = OliveFormat.Abfloat8Variant(rawValue: oliveAbfloat8) else { throw ValidationError("unknown 8-bit abfloat \(oliveAbfloat8)") }
        let method: QuantizationMethod
        let granularityValue: Granularity
        do {
            method = try QuantizationMethod(formatName: format, bits: bits, antSet: set, abfloat8: abfloat, pairRule: rule)
            granularityValue = try Granularity(parsing: granularity)
        } catch {
            throw ValidationError(error.description)
        }
        let filter: Regex<AnyRegexOutput>?
        do { filter = try tensors.map { try Regex($0) } } catch { throw ValidationError("invalid --tensors expression: \(error)") }
        let options = QuantizationOptions(method: method, bits: bits, granularity: granularityValue,
                                          threads: threads ?? Parallel.coreCount)

        let file = try SafetensorsFile(path: input)
        var writer = SafetensorsWriter()
        var fakeWriter = SafetensorsWriter()
        writer.metadata = file.metadata
        fakeWriter.metadata = file.metadata
        var reports: [JSONValue] = []
        var totalBefore = 0
        var totalAfter = 0
        for entry in file.entries {
            let matches = try filter.map { try $0.firstMatch(in: entry.name) != nil } ?? true
            guard entry.shape.count >= 2, matches else {
                let raw = try file.rawBytes(named: entry.name)
                writer.add(name: entry.name, dtype: entry.dtype, shape: entry.shape, bytes: raw)
                fakeWriter.add(name: entry.name, dtype: entry.dtype, shape: entry.shape, bytes: raw)
                continue
            }
            let tensor = try file.tensor(named: entry.name)
            let result: QuantizationResult
            do {
                result = try Quantizer.quantize(tensor, options: options)
            } catch {
                throw QuantizeCommandError("tensor \(entry.name): \(error.description)")
            }
            writer.add(name: entry.name, quantized: result.quantized)
            fakeWriter.add(name: entry.name, tensor: result.dequantized)
            totalBefore += entry.byteRange.count
            totalAfter += result.quantized.storageBytes
            reports.append(Self.report(entry: entry, result: result))
        }
        guard !reports.isEmpty else { throw QuantizeCommandError("no tensor of two or more dimensions matched") }
        try writer.write(to: output)
        if let dequantized { try fakeWriter.write(to: dequantized) }
        if let report {
            let document = JSONValue.object([
                ("input", .string(input)),
                ("output", .string(output)),
                ("format", .string(format)),
                ("bits", .int(Int64(bits))),
                ("granularity", .string(granularityValue.description)),
                ("tensors", .array(reports)),
                ("bytes_before", .int(Int64(totalBefore))),
                ("bytes_after", .int(Int64(totalAfter))),
            ])
            try TextFile.write(document.encodedString() + "\n", to: report)
        }
        print("quantized \(reports.count) tensor(s): \(totalBefore) → \(totalAfter) bytes, written to \(output)")
    }

    /// One tensor's entry in the report.
    static func report(entry: SafetensorsEntry, result: QuantizationResult) -> JSONValue {
        let q = result.quantized
        var members: [(String, JSONValue)] = [
            ("name", .string(entry.name)),
            ("shape", .array(entry.shape.map { .int(Int64($0)) })),
            ("type", .string(q.format.description)),
            ("granularity", .string(q.granularity.description)),
            ("scales", .array(q.scales.map { .double(Double($0)) })),
        ]
        if !q.zeroPoints.isEmpty { members.append(("zero_points", .array(q.zeroPoints.map { .int(Int64($0)) }))) }
        members.append(("mse", .double(result.meanSquaredError)))
        members.append(("sqnr_db", result.sqnrDecibels.isFinite ? .double(result.sqnrDecibels) : .null))
        if let outliers = result.outlierFraction { members.append(("outlier_fraction", .double(outliers))) }
        if let victims = result.victimFraction { members.append(("victim_fraction", .double(victims))) }
        if !result.candidateErrors.isEmpty {
            members.append(("candidates", .array(result.candidateErrors.map {
                .object([("type", .string($0.type)), ("squared_error", .double($0.squaredError))])
            })))
        }
        members.append(("bytes_before", .int(Int64(entry.byteRange.count))))
        members.append(("bytes_after", .int(Int64(q.storageBytes))))
        return .object(JSONObject(members))
    }
}

/// A failure of `mixbit quantize` with a message for the user.
struct QuantizeCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
