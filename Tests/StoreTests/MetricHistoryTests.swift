import Foundation
import Testing
@testable import Store

/// The chunked metric history (migration 0004): packing, ordering, de-duplication, paging, migration of the
/// per-point table, and concurrent writers to one key.
@Suite struct MetricHistoryTests {
    @Test func codec_RoundTripsEveryKindOfPoint() throws {
        let points = [
            MetricPoint(timestamp: 0, step: 0, value: 0, isNaN: false),
            MetricPoint(timestamp: .max, step: .min, value: -.greatestFiniteMagnitude, isNaN: false),
            MetricPoint(timestamp: 1_700_000_000_000, step: -3, value: 0, isNaN: true),
            MetricPoint(timestamp: 7, step: 1 << 40, value: -0.0, isNaN: false),
            MetricPoint(timestamp: 8, step: 9, value: .leastNonzeroMagnitude, isNaN: false),
        ]
        let bytes = MetricPointsCodec.encode(points[...])
        #expect(bytes.count == points.count * 24)
        // Little-endian timestamp first: 1 700 000 000 000 = 0x18B_CFE5_6800.
        #expect(Array(bytes[48..<54]) == [0x00, 0x68, 0xE5, 0xCF, 0x8B, 0x01])
        var decoded: [MetricPoint] = []
        try MetricPointsCodec.decode(bytes, into: &decoded)
        #expect(decoded == points)
        #expect(decoded[3].value.sign == .minus)
        #expect(throws: StoreError.self) { try MetricPointsCodec.decode(Array(bytes.dropLast()), into: &decoded) }
    }

    @Test func stagedBatchCodec_RoundTripsAndRejectsDamage() throws {
        var batch = MetricBatch()
        batch.add(MetricPoint(timestamp: 1, step: 2, value: 3, isNaN: false), key: "loss/ü", modelID: nil, datasetName: nil, datasetDigest: nil)
        batch.add(MetricPoint(timestamp: 4, step: 5, value: 0, isNaN: true), key: "acc", modelID: "m-1", datasetName: "train", datasetDigest: "")
        batch.add(MetricPoint(timestamp: 6, step: 7, value: -8, isNaN: false), key: "loss/ü", modelID: nil, datasetName: nil, datasetDigest: nil)
        let bytes = StagedBatchCodec.encode(batch.chunks)
        let decoded = try StagedBatchCodec.decode(bytes)
        #expect(decoded.map(\.key) == ["loss/ü", "acc"])
        #expect(decoded.map(\.points) == batch.chunks.map(\.points))
        #expect(decoded[1].modelID == "m-1" && decoded[1].datasetName == "train" && decoded[1].datasetDigest == "")
        #expect(decoded[0].modelID == nil && decoded[0].datasetDigest == nil)
        #expect(try StagedBatchCodec.decode([]).isEmpty)
        // Every truncation inside a chunk is reported, never read past the end; one at the chunk boundary is the
        // first chunk alone.
        let boundary = StagedBatchCodec.encode([batch.chunks[0]]).count
        for length in 1..<bytes.count where length != boundary {
            #expect(throws: StoreError.self) { try StagedBatchCodec.decode(Array(bytes.prefix(length))) }
        }
        #expect(try StagedBatchCodec.decode(Array(bytes.prefix(boundary))).map(\.key) == ["loss/ü"])
        var huge = bytes
        huge[0] = 0xFE  // a key length far past the end
        #expect(throws: StoreError.self) { try StagedBatchCodec.decode(huge) }
    }

    @Test func byteaText_RoundTripsAndRejectsOtherFormats() {
        let bytes: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff]
        #expect(PGByteaText.encode(bytes) == "\\x00017f80feff")
        #expect(PGByteaText.decode("\\x00017F80feff") == bytes)
        #expect(PGByteaText.decode("\\x") == [])
        #expect(PGByteaText.decode("\\000") == nil)  // escape format
        #expect(PGByteaText.decode("\\x0") == nil)
        #expect(PGByteaText.decode("\\xzz") == nil)
    }

    @Test func chunks_GroupByKeyModelAndDatasetInBatchOrder() {
        var batch = MetricBatch()
        for (key, step, model) in [("a", 1, nil), ("b", 1, nil), ("a", 2, "m"), ("a", 3, nil)] as [(String, Int64, String?)] {
            let point = MetricPoint(timestamp: step, step: step, value: Double(step), isNaN: false)
            batch.add(point, key: key, modelID: model, datasetName: nil, datasetDigest: nil)
        }
        let chunks = batch.chunks
        #expect(chunks.map(\.key) == ["a", "b", "a"])
        #expect(chunks.map(\.ordinal) == [1, 1, 2])
        #expect(chunks.map { $0.points.map(\.step) } == [[1, 3], [1], [2]])
        #expect(chunks[2].modelID == "m")
        #expect(batch.latest.map(\.key) == ["a", "b"])
        #expect(batch.latest.map(\.point.step) == [3, 1])

        // Past 32 chunks the lookup switches to a hash index; the grouping must not change.
        var wide = MetricBatch()
        for round in 0..<3 {
            for k in 0..<50 {
                let point = MetricPoint(timestamp: Int64(round), step: Int64(round), value: 0, isNaN: false)
                wide.add(point, key: "k\(k)", modelID: k % 10 == 0 ? "m\(round % 2)" : nil, datasetName: nil, datasetDigest: nil)
            }
        }
        #expect(wide.chunks.count == 55)
        #expect(wide.chunks.filter { $0.modelID == nil }.allSatisfy { $0.points.map(\.step) == [0, 1, 2] })
        #expect(wide.chunks.filter { $0.modelID == "m0" }.allSatisfy { $0.points.map(\.step) == [0, 2] && $0.ordinal == 1 })
        #expect(wide.chunks.filter { $0.modelID == "m1" }.allSatisfy { $0.points.map(\.step) == [1] && $0.ordinal == 2 })
        #expect(wide.latest.count == 50)
    }

    /// Small pieces of a batch of several keys are staged and merged every 32 batches of a run; a batch's 32 or more
    /// points of a key, or a batch of one key, go to metric_chunks directly. The history is the same whichever table
    /// a point sits in.
    @Test(arguments: StoreBackend.all)
    func stagedBatches_AreMergedIntoChunks(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        for batch in 0..<70 {
            let metrics = (0..<3).flatMap { i in
                ["a", "b"].map { Metric(key: $0, value: Double(batch * 3 + i), timestamp: Int64(batch), step: Int64(batch * 3 + i)) }
            }
            try store.logBatch(runID: id, metrics: metrics, params: [], tags: [])
        }
        let big = (0..<40).map { Metric(key: "a", value: -Double($0), timestamp: 500, step: 1000 + Int64($0)) }
        try store.logBatch(runID: id, metrics: big, params: [], tags: [])
        // A batch of a single key (runs/log-metric) is one row either way: it goes straight to metric_chunks.
        try store.logMetric(runID: id, Metric(key: "b", value: 210, timestamp: 600, step: 210))
        func count(_ table: String) throws -> Int {
            try store.read { db in
                Int(try db.queryOne("SELECT COUNT(*) FROM \(unsafeSQL: table)")!.int64(0))
            }
        }
        // Merges after batches 32 and 64 left batches 65–70 staged, one row each.
        #expect(try count("metric_staging") == 6)
        // Two merges of two keys, the 40-point chunk and the single-key batch.
        #expect(try count("metric_chunks") == 6)
        let a = try store.getMetricHistory(runID: id, key: "a", maxResults: nil, pageToken: nil).items
        #expect(a.map(\.step) == (0..<210).map(Int64.init) + (1000..<1040).map(Int64.init))
        let b = try store.getMetricHistory(runID: id, key: "b", maxResults: nil, pageToken: nil).items
        #expect(b.map(\.value) == (0..<211).map(Double.init))
    }

    /// Batches logged out of order, repeated (a client retry), with NaN and ±Infinity, one key spread over several
    /// models in one batch: the history is every distinct point once, ordered by timestamp, step, value; pages of
    /// any size cut across chunk boundaries without losing or repeating a point.
    @Test(arguments: StoreBackend.all)
    func history_IsOrderedDistinctAndPagesAcrossChunks(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        var generator = SystemRandomNumberGenerator()
        var logged: [Metric] = []
        for batch in (0..<12).shuffled(using: &generator) {
            var metrics: [Metric] = []
            for i in 0..<40 {
                let key = i % 2 == 0 ? "loss" : "acc"
                let value = Double(batch * 40 + i) / 7
                metrics.append(Metric(key: key, value: value, timestamp: Int64(1000 + batch), step: Int64(batch * 20 + i / 2)))
            }
            metrics[2].value = Double.nan
            metrics[4].value = Double.infinity
            metrics[6].modelID = "model-\(batch % 3)"
            try store.logBatch(runID: id, metrics: metrics, params: [], tags: [])
            if batch % 4 == 0 { try store.logBatch(runID: id, metrics: metrics, params: [], tags: []) }
            logged += metrics
        }
        try store.logMetric(runID: id, Metric(key: "loss", value: -1, timestamp: 1, step: 99_999))

        func key(_ m: Metric) -> String { "\(m.timestamp)/\(m.step)/\(m.value.isNaN ? "nan" : String(min(max(m.value, -.greatestFiniteMagnitude), .greatestFiniteMagnitude)))" }
        let expected = (logged + [Metric(key: "loss", value: -1, timestamp: 1, step: 99_999)]).filter { $0.key == "loss" }
        var seen: Set<String> = []
        let distinct = expected.filter { seen.insert(key($0)).inserted }
        let history = try store.getMetricHistory(runID: id, key: "loss", maxResults: nil, pageToken: nil).items
        #expect(history.count == distinct.count)
        #expect(Set(history.map(key)) == seen)
        #expect(history.first?.value == -1)
        for (a, b) in zip(history, history.dropFirst()) {
            #expect((a.timestamp, a.step) <= (b.timestamp, b.step))
        }
        #expect(history.contains { $0.value.isNaN })
        #expect(history.contains { $0.value == .greatestFiniteMagnitude })

        for size in [1, 7, 19, 1000] {
            var pages: [Metric] = []
            var token: String? = nil
            repeat {
                let page = try store.getMetricHistory(runID: id, key: "loss", maxResults: size, pageToken: token)
                #expect(page.items.count <= size)
                pages += page.items
                token = page.nextPageToken
            } while token != nil
            #expect(pages.map(key) == history.map(key), "page size \(size)")
        }
        #expect(try store.getMetricHistory(runID: id, key: "missing", maxResults: nil, pageToken: nil).items.isEmpty)
    }

    /// A database with per-point history rows (schema 3) keeps every point, NaN flag and model id after 0004.
    @Test(arguments: StoreBackend.all)
    func migration_MovesPerPointHistoryIntoChunks(backend: StoreBackend) throws {
        let location = try backend.makeLocation()
        let migrator = Migrator(dialect: backend == .sqlite ? .sqlite : .postgres)
        let connection: any MigrationConnection
        switch location {
        case .sqlite(let path): connection = try SQLiteConnection(path: path, configuration: .init())
        case .postgres(let uri): connection = try PGConnection(uri: uri)
        }
        _ = try migrator.migrate(connection, upTo: 3)
        try connection.execute(
            """
            INSERT INTO runs (run_uuid, experiment_id, name, user_id, status, start_time, lifecycle_stage, artifact_uri)
            VALUES ('r1', 0, 'old', 'u', 'RUNNING', 1, 'active', 'x')
            """)
        let rows: [(Int, Int, Double, Int, String?)] = [(5, 2, 0.5, 0, "m1"), (3, 1, 0, 1, nil), (3, 1, 0.25, 0, nil), (9, 0, 2, 0, nil)]
        for (ts, step, value, nan, model) in rows {
            try connection.execute(
                """
                INSERT INTO metrics (run_seq, key, timestamp, step, value, is_nan, model_id)
                SELECT run_seq, 'loss', \(ts), \(step), \(value), \(nan), \(model) FROM runs WHERE run_uuid = 'r1'
                """)
        }
        #expect(try SQLStore.upgrade(location) == Array(4...migrator.latestVersion))
        let store = try SQLStore.open(location)
        defer { store.close() }
        let history = try store.getMetricHistory(runID: "r1", key: "loss", maxResults: nil, pageToken: nil).items
        #expect(history.map(\.timestamp) == [3, 3, 5, 9])
        // NaN is stored as value 0, so it sorts before 0.25 at the same timestamp and step.
        #expect(history[0].value.isNaN)
        #expect(history.dropFirst().map(\.value) == [0.25, 0.5, 2.0])
        #expect(history.map(\.step) == [1, 1, 2, 0])
        try store.logMetric(runID: "r1", Metric(key: "loss", value: 7, timestamp: 10, step: 3))
        #expect(try store.getMetricHistory(runID: "r1", key: "loss", maxResults: nil, pageToken: nil).items.count == 5)
        let models = try store.read { db in
            try db.query("SELECT model_id FROM metric_chunks WHERE model_id IS NOT NULL").map { $0.string(0) }
        }
        #expect(models == ["m1"])
    }

    /// 8 threads log to the same run and key at once: chunk numbers never collide (on PostgreSQL the
    /// latest_metrics upsert serialises them) and every point is kept.
    @Test(arguments: StoreBackend.all)
    func concurrentWritersToOneKey_KeepEveryPoint(backend: StoreBackend) throws {
        let store = try backend.makeStore()
        defer { store.close() }
        let id = try store.createRun(RunCreate(startTime: 1)).info.runID
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 8) { writer in
            for batch in 0..<25 {
                let metrics = (0..<10).map { i in
                    Metric(key: "shared", value: Double(i), timestamp: Int64(writer), step: Int64(batch * 10 + i))
                }
                do { try store.logBatch(runID: id, metrics: metrics, params: [], tags: []) } catch { failures.add("\(error)") }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let history = try store.getMetricHistory(runID: id, key: "shared", maxResults: nil, pageToken: nil).items
        #expect(history.count == 8 * 25 * 10)
        #expect(try store.getRun(id: id).metrics.first?.step == 249)
    }
}

private final class Failures: @unchecked Sendable {
    // @unchecked Sendable: `messages` is guarded by `lock`.
    private let lock = NSLock()
    private var messages: [String] = []
    func add(_ message: String) { lock.withLock { messages.append(message) } }
    var all: [String] { lock.withLock { messages } }
}
