@testable import Server

/// What the parser produced for one request, collected the way a connection would collect it.
struct ParsedRequest {
    var head: HTTPRequestHead
    var body: [UInt8] = []
}

/// Feeds `input` to a parser in pieces of `pieceSize` bytes (as a socket might deliver them), accumulating
/// into one buffer exactly like `Connection`, and returns every complete request.
func parseRequests(
    _ input: [UInt8], pieceSize: Int = Int.max, maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 1 << 20
) throws(HTTPParseError) -> [ParsedRequest] {
    var parser = HTTPRequestParser(maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
    var buffer: [UInt8] = []
    var start = 0
    var done: [ParsedRequest] = []
    var current: ParsedRequest?
    var offset = 0
    while offset < input.count {
        let end = min(input.count, offset + max(1, min(pieceSize, input.count)))
        buffer.append(contentsOf: input[offset..<end])
        offset = end
        while let (event, consumed) = try parser.next(in: buffer, from: start) {
            precondition(start + consumed <= buffer.count, "parser consumed past the buffer")
            switch event {
            case .head(let head): current = ParsedRequest(head: head)
            case .body(let range):
                precondition(range.lowerBound >= start && range.upperBound <= buffer.count, "body range out of bounds")
                current?.body.append(contentsOf: buffer[range])
            case .end:
                if let current { done.append(current) }
                current = nil
            }
            start += consumed
        }
    }
    return done
}

func parseRequests(_ text: String, pieceSize: Int = Int.max, maxHeaderBytes: Int = 64 * 1024, maxBodyBytes: Int = 1 << 20) throws(HTTPParseError) -> [ParsedRequest] {
    try parseRequests(Array(text.utf8), pieceSize: pieceSize, maxHeaderBytes: maxHeaderBytes, maxBodyBytes: maxBodyBytes)
}
