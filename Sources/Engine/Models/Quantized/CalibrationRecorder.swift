import Synchronization

/// Captures every matrix layer's inputs during a calibration pass over the Float32 model (not a progressively
/// quantized one: every layer sees the inputs the unquantized model gives it).
///
/// Rows (tokens or im2col patches) are kept by seeded reservoir sampling, so at most `rowLimit` rows per layer are
/// stored, each row seen having the same chance; the per-column max |x| covers every row, not just the sample.
public final class CalibrationRecorder: ForwardObserver {
    public let rowLimit: Int
    private let state: Mutex<State>

    private struct State: Sendable {
        var layers: [String: Capture] = [:]
        var order: [String] = []
        var random: SplitMix64
    }

    private struct Capture: Sendable {
        var width: Int
        var rows: [Float] = []
        var seen = 0
        var absMax: [Float]
    }

    /// A recorder keeping at most `rowLimit` rows per layer.
    public init(rowLimit: Int = 2048, seed: UInt64 = 20_261_124) {
        precondition(rowLimit > 0, "CalibrationRecorder: rowLimit must be positive")
        self.rowLimit = rowLimit
        state = Mutex(State(random: SplitMix64(seed: seed)))
    }

    public func layerInput(_ layer: String, _ rows: Tensor) {
        let (count, width) = (rows.shape[0], rows.shape[1])
        let limit = rowLimit
        state.withLock { state in
            if state.layers[layer] == nil {
                state.layers[layer] = Capture(width: width, absMax: [Float](repeating: 0, count: width))
                state.order.append(layer)
            }
            var capture = state.layers.removeValue(forKey: layer)!
            precondition(capture.width == width, "CalibrationRecorder: \(layer) inputs changed width \(capture.width) → \(width)")
            rows.withUnsafeBufferPointer { x in
                for r in 0 ..< count {
                    let row = x[r * width ..< (r + 1) * width]
                    for (j, value) in row.enumerated() { capture.absMax[j] = max(capture.absMax[j], abs(value)) }
                    // Reservoir sampling (Vitter's algorithm R): row number `seen` replaces a kept row with
                    // probability limit / (seen + 1).
                    if capture.seen < limit {
                        capture.rows.append(contentsOf: row)
                    } else {
                        let slot = Int(state.random.next() % UInt64(capture.seen + 1))
                        if slot < limit { capture.rows.replaceSubrange(slot * width ..< (slot + 1) * width, with: row) }
                    }
                    capture.seen += 1
                }
            }
            state.layers[layer] = capture
        }
    }

    /// What was captured so far.
    public var data: CalibrationData {
        state.withLock { state in
            CalibrationData(layers: state.order.map { name in
                let capture = state.layers[name]!
                return CalibrationData.Layer(name: name, inputs: Tensor(shape: [capture.rows.count / capture.width, capture.width],
                                                                        values: capture.rows),
                                             absMax: capture.absMax, rowsSeen: capture.seen)
            })
        }
    }
}

/// The captured inputs of every matrix layer (``CalibrationRecorder``).
public struct CalibrationData: Sendable {
    public struct Layer: Sendable {
        public var name: String
        /// Sampled input rows, `[≤ rowLimit, inputs]`.
        public var inputs: Tensor
        /// Per input column max |x| over every row seen.
        public var absMax: [Float]
        /// Rows seen in the pass.
        public var rowsSeen: Int
    }

    /// In first-seen order.
    public var layers: [Layer]

    /// The capture of `name`, if the pass reached it.
    public func layer(_ name: String) -> Layer? { layers.first { $0.name == name } }
}
