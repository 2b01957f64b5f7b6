/// Element types of the safetensors format that the engine reads and writes.
public enum SafetensorsDType: String, Sendable, CaseIterable {
    case float32 = "F32"
    case float16 = "F16"
    case bfloat16 = "BF16"
    case int8 = "I8"
    case uint8 = "U8"
    case int32 = "I32"
    case int64 = "I64"

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .int8, .uint8: 1
        case .float16, .bfloat16: 2
        case .float32, .int32: 4
        case .int64: 8
        }
    }
}
