/// A request the server cannot frame or accept. Every case is the client's mistake, so none maps to
/// 408, 429 or 5xx except the two the RFC prescribes (501 unknown transfer coding, 505 version).
public enum HTTPParseError: HTTPResponseError, Equatable, CustomStringConvertible {
    case malformedRequestLine
    case invalidMethod
    case invalidTarget
    case unsupportedVersion
    case malformedHeader
    case headersTooLarge(limit: Int)
    case missingHost
    case conflictingFraming
    case invalidContentLength
    case unsupportedTransferEncoding
    case invalidChunkSize
    case malformedChunk
    case bodyTooLarge(limit: Int)
    case unsupportedExpectation
    case invalidPercentEncoding

    public var status: HTTPStatus {
        switch self {
        case .headersTooLarge: return .headersTooLarge
        case .bodyTooLarge: return .payloadTooLarge
        case .unsupportedVersion: return .httpVersionNotSupported
        case .unsupportedTransferEncoding: return .unsupported
        case .unsupportedExpectation: return .expectationFailed
        default: return .badRequest
        }
    }

    public var errorCode: String {
        if case .bodyTooLarge = self { return APIError.Code.resourceExhausted.rawValue }
        return APIError.Code.badRequest.rawValue
    }

    public var publicMessage: String {
        switch self {
        case .malformedRequestLine: return "Malformed request line"
        case .invalidMethod: return "Invalid request method"
        case .invalidTarget: return "Invalid request target"
        case .unsupportedVersion: return "Only HTTP/1.0 and HTTP/1.1 are supported"
        case .malformedHeader: return "Malformed header field"
        case .headersTooLarge(let limit): return "Request line and headers exceed \(limit) bytes"
        case .missingHost: return "HTTP/1.1 requests must carry exactly one Host header"
        case .conflictingFraming: return "Content-Length and Transfer-Encoding must not both be present"
        case .invalidContentLength: return "Invalid Content-Length"
        case .unsupportedTransferEncoding: return "Only the chunked transfer coding is supported"
        case .invalidChunkSize: return "Invalid chunk size"
        case .malformedChunk: return "Malformed chunked body"
        case .bodyTooLarge(let limit): return "Request body exceeds \(limit) bytes"
        case .unsupportedExpectation: return "Only Expect: 100-continue is supported"
        case .invalidPercentEncoding: return "Invalid percent-encoding in the request target"
        }
    }

    public var description: String { publicMessage }
}
