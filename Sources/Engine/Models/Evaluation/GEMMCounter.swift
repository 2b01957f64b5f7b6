import Synchronization

/// Counts the floating-point work of every sgemm during a forward pass (2·m·n·k per product), per shape, so that an
/// evaluation can report its achieved GFLOP/s and time OpenBLAS on its dominant shape.
public final class GEMMCounter: ForwardObserver {
    /// An `[m, k] · [k, n]` product.
    public struct Shape: Sendable, Hashable {
        public var m: Int
        public var n: Int
        public var k: Int
    }

    private let counts = Mutex<[Shape: Int]>([:])

    public init() {}

    public func matrixProduct(m: Int, n: Int, k: Int) {
        counts.withLock { $0[Shape(m: m, n: n, k: k), default: 0] += 1 }
    }

    /// Total floating-point operations counted.
    public var operations: Double {
        counts.withLock { $0.reduce(0) { $0 + 2 * Double($1.key.m) * Double($1.key.n) * Double($1.key.k) * Double($1.value) } }
    }

    /// The shape that accounted for the most operations, if any product ran.
    public var dominantShape: Shape? {
        counts.withLock { table in
            table.max { a, b in
                let (x, y) = (Double(a.key.m * a.key.n * a.key.k * a.value), Double(b.key.m * b.key.n * b.key.k * b.value))
                return x != y ? x < y : (a.key.m, a.key.n, a.key.k) < (b.key.m, b.key.n, b.key.k)
            }?.key
        }
    }
}
