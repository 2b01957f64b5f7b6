/// A logged batch's metrics as the history tables store them: one chunk per key (and model / dataset), in the
/// order each first appears, and the batch's highest point per key for `latest_metrics`.
struct MetricBatch: Sendable {
    /// The points of one key (and model / dataset) from one batch, in the batch's order.
    struct Chunk: Sendable {
        var key: String
        var modelID: String?
        var datasetName: String?
        var datasetDigest: String?
        /// 1 for the batch's first chunk of this key, 2 for its second (another model or dataset), …
        var ordinal: Int
        var points: [MetricPoint]

        func holds(key: String, modelID: String?, datasetName: String?, datasetDigest: String?) -> Bool {
            self.key == key && self.modelID == modelID && self.datasetName == datasetName
                && self.datasetDigest == datasetDigest
        }
    }

    private(set) var chunks: [Chunk] = []
    /// Past this many chunks, lookups go through `index` instead of a linear scan (a 1 000-metric batch may
    /// hold 1 000 keys); below it, comparing short strings is cheaper than hashing them.
    private static let linearScanLimit = 32
    private var index: [Group: Int] = [:]
    private var lastHit = 0
    /// Chunks per key so far: a key's second chunk (another model or dataset) gets ordinal 2. Hashed once per
    /// chunk, not per point.
    private var ordinals: [String: Int] = [:]

    private struct Group: Hashable {
        var key: String
        var modelID: String?
        var datasetName: String?
        var datasetDigest: String?
    }

    var isEmpty: Bool { chunks.isEmpty }

    init() {}

    /// Appends a point to its chunk; true when that chunk is new (the first point of its group).
    @discardableResult
    mutating func add(_ point: MetricPoint, key: String, modelID: String?, datasetName: String?, datasetDigest: String?)
        -> Bool
    {
        if let i = chunkIndex(key: key, modelID: modelID, datasetName: datasetName, datasetDigest: datasetDigest) {
            chunks[i].points.append(point)
            lastHit = i
            return false
        }
        let ordinal = ordinals[key, default: 0] + 1
        ordinals[key] = ordinal
        if chunks.count >= Self.linearScanLimit {
            if index.isEmpty {
                for (i, c) in chunks.enumerated() {
                    index[Group(key: c.key, modelID: c.modelID, datasetName: c.datasetName, datasetDigest: c.datasetDigest)] = i
                }
            }
            index[Group(key: key, modelID: modelID, datasetName: datasetName, datasetDigest: datasetDigest)] = chunks.count
        }
        lastHit = chunks.count
        chunks.append(
            Chunk(
                key: key, modelID: modelID, datasetName: datasetName, datasetDigest: datasetDigest, ordinal: ordinal,
                points: [point]))
        return true
    }

    private func chunkIndex(key: String, modelID: String?, datasetName: String?, datasetDigest: String?) -> Int? {
        if !index.isEmpty {
            return index[Group(key: key, modelID: modelID, datasetName: datasetName, datasetDigest: datasetDigest)]
        }
        // A batch usually cycles through its keys or repeats one: start the scan after the last chunk hit.
        let count = chunks.count
        var i = lastHit
        for _ in 0..<count {
            i += 1
            if i == count { i = 0 }
            if chunks[i].holds(key: key, modelID: modelID, datasetName: datasetName, datasetDigest: datasetDigest) {
                return i
            }
        }
        return nil
    }

    /// The highest point per key, sorted by key (so concurrent PostgreSQL transactions lock `latest_metrics` rows
    /// in the same order).
    var latest: [(key: String, point: MetricPoint)] {
        var highest: [String: MetricPoint] = [:]
        for chunk in chunks {
            var best = chunk.points[0]
            for p in chunk.points.dropFirst() where Self.isHigher(p, than: best) { best = p }
            if let current = highest[chunk.key], !Self.isHigher(best, than: current) { continue }
            highest[chunk.key] = best
        }
        return highest.sorted { $0.key < $1.key }.map { (key: $0.key, point: $0.value) }
    }

    /// MLflow's order for "latest": compare (step, timestamp, value) (MLFLOW_API.md §3.2).
    static func isHigher(_ a: MetricPoint, than b: MetricPoint) -> Bool {
        (a.step, a.timestamp, a.value) > (b.step, b.timestamp, b.value)
    }
}
