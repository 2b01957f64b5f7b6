/// The packed form of one staged batch (`metric_staging.chunks`): its chunks in order, each as
///
///     key, model_id, dataset_name, dataset_digest   UInt32 byte length (0xFFFF_FFFF for none) + UTF-8
///     point count                                   UInt32
///     points                                        24 bytes each, as MetricPointsCodec
///
/// all little-endian. One row per batch, rather than one per key, is what a staged write costs SQLite.
enum StagedBatchCodec {
    private static let absent: UInt32 = 0xFFFF_FFFF

    static func encode(_ chunks: [MetricBatch.Chunk]) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(chunks.reduce(0) { $0 + 32 + $1.key.utf8.count + $1.points.count * MetricPointsCodec.bytesPerPoint })
        for chunk in chunks {
            for text in [chunk.key, chunk.modelID, chunk.datasetName, chunk.datasetDigest] {
                if let text {
                    append(UInt32(text.utf8.count), to: &bytes)
                    bytes.append(contentsOf: text.utf8)
                } else {
                    append(absent, to: &bytes)
                }
            }
            append(UInt32(chunk.points.count), to: &bytes)
            bytes.append(contentsOf: MetricPointsCodec.encode(chunk.points[...]))
        }
        return bytes
    }

    /// The chunks of a staged batch (ordinals 0); a blob that ends early or has impossible lengths is a corrupt
    /// row, reported as such rather than read out of bounds.
    static func decode(_ bytes: [UInt8]) throws -> [MetricBatch.Chunk] {
        var chunks: [MetricBatch.Chunk] = []
        var offset = 0
        func uint32() throws -> UInt32 {
            guard bytes.count - offset >= 4 else { throw corrupt() }
            let value = bytes.withUnsafeBytes { UInt32(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) }
            offset += 4
            return value
        }
        func text() throws -> String? {
            let length = try uint32()
            if length == absent { return nil }
            guard bytes.count - offset >= Int(length) else { throw corrupt() }
            defer { offset += Int(length) }
            return String(decoding: bytes[offset..<(offset + Int(length))], as: UTF8.self)
        }
        while offset < bytes.count {
            guard let key = try text() else { throw corrupt() }
            let (modelID, datasetName, datasetDigest) = (try text(), try text(), try text())
            let count = Int(try uint32())
            let length = count * MetricPointsCodec.bytesPerPoint
            guard count > 0, bytes.count - offset >= length else { throw corrupt() }
            var points: [MetricPoint] = []
            try MetricPointsCodec.decode(Array(bytes[offset..<(offset + length)]), into: &points)
            offset += length
            chunks.append(
                MetricBatch.Chunk(
                    key: key, modelID: modelID, datasetName: datasetName, datasetDigest: datasetDigest, ordinal: 0,
                    points: points))
        }
        return chunks
    }

    private static func append(_ value: UInt32, to bytes: inout [UInt8]) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    private static func corrupt() -> StoreError {
        .database(DatabaseFailure(backend: "store", code: "corrupt", message: "a staged metric batch is truncated or malformed", sql: nil))
    }
}
