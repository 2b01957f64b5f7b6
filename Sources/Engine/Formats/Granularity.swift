/// Which elements share one scale (QUANT_SPEC §0 "Granularity"). The tensor is viewed as `[rows, K]`
/// (`rows` = first dimension, the output channels of a weight); every scale block is a contiguous range.
public enum Granularity: Sendable, Hashable, CustomStringConvertible {
    /// One scale for the whole tensor.
    case perTensor
    /// One scale per row (output channel).
    case perChannel
    /// One scale per run of `size` consecutive elements of a row.
    case perGroup(Int)

    /// Elements per scale block for a `[rows, columns]` matrix; throws when a group does not divide a row.
    public func blockSize(rows: Int, columns: Int) throws(FormatError) -> Int {
        switch self {
        case .perTensor: return rows * columns
        case .perChannel: return columns
        case .perGroup(let size):
            guard size > 0, columns % size == 0 else {
                throw .invalidOption("group size \(size) does not divide the row length \(columns)")
            }
            return size
        }
    }

    /// `tensor`, `channel` or `group:G`.
    public var description: String {
        switch self {
        case .perTensor: "tensor"
        case .perChannel: "channel"
        case .perGroup(let g): "group:\(g)"
        }
    }

    /// Parses `tensor`, `channel` or `group:G`.
    public init(parsing text: String) throws(FormatError) {
        switch text {
        case "tensor": self = .perTensor
        case "channel": self = .perChannel
        default:
            guard text.hasPrefix("group:"), let g = Int(text.dropFirst(6)), g > 0 else {
                throw .invalidOption("granularity must be tensor, channel or group:G, got \(text)")
            }
            self = .perGroup(g)
        }
    }
}
