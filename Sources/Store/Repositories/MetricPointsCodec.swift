/// The packed form of a history chunk's points after the first (`metric_chunks.more_points`): 24 bytes per point,
/// little-endian timestamp (Int64), step (Int64) and value (IEEE 754 binary64, NaN for a NaN point).
///
/// One row per logged batch and key, instead of one row per point, is what lets SQLite take 8 concurrent writers
/// of 100-point batches: a batch touches one b-tree entry per key rather than one per point (bench/README "store").
enum MetricPointsCodec {
    static let bytesPerPoint = 24

    static func encode(_ points: ArraySlice<MetricPoint>) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: points.count * bytesPerPoint)
        bytes.withUnsafeMutableBytes { raw in
            var offset = 0
            for point in points {
                raw.storeBytes(of: point.timestamp.littleEndian, toByteOffset: offset, as: Int64.self)
                raw.storeBytes(of: point.step.littleEndian, toByteOffset: offset + 8, as: Int64.self)
                let value = point.isNaN ? Double.nan : point.value
                raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: offset + 16, as: UInt64.self)
                offset += bytesPerPoint
            }
        }
        return bytes
    }

    /// Appends the decoded points to `points`; a length that is not a whole number of points is a corrupt row.
    static func decode(_ bytes: [UInt8], into points: inout [MetricPoint]) throws {
        guard bytes.count % bytesPerPoint == 0 else {
            throw StoreError.database(
                DatabaseFailure(
                    backend: "store", code: "corrupt",
                    message: "a metric history chunk holds \(bytes.count) bytes, not a multiple of \(bytesPerPoint)",
                    sql: nil))
        }
        points.reserveCapacity(points.count + bytes.count / bytesPerPoint)
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let timestamp = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: Int64.self))
                let step = Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: Int64.self))
                let value = Double(
                    bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 16, as: UInt64.self)))
                points.append(
                    MetricPoint(timestamp: timestamp, step: step, value: value.isNaN ? 0 : value, isNaN: value.isNaN))
                offset += bytesPerPoint
            }
        }
    }
}
