import JSON
@testable import Server

extension HTTPRequest {
    /// A request for socket-free handler tests. `streamedBody` becomes a finished body stream.
    static func make(
        _ method: HTTPMethod = .GET, _ target: String, body: [UInt8] = [], streamedBody: [UInt8]? = nil,
        headers: HTTPHeaders = ["Host": "test"]
    ) throws -> HTTPRequest {
        let mark = target.firstIndex(of: "?")
        let rawPath = mark.map { String(target[..<$0]) } ?? target
        let rawQuery = mark.map { String(target[target.index(after: $0)...]) } ?? ""
        let head = HTTPRequestHead(
            method: method, target: target, path: PercentEncoding.decode(rawPath, plusAsSpace: false)!, rawQuery: rawQuery,
            version: .http11, headers: headers, framing: .length(body.count), keepAlive: true, expectsContinue: false)
        var stream: RequestBodyStream?
        if let streamedBody {
            stream = RequestBodyStream(declaredLength: streamedBody.count)
            var offset = 0
            repeat {
                let end = min(streamedBody.count, offset + 65536)
                _ = stream!.append(streamedBody[offset..<end])
                offset = end
            } while offset < streamedBody.count
            stream!.finish()
        }
        return HTTPRequest(head: head, query: try QueryParameters(decoding: rawQuery), body: body, bodyStream: stream)
    }
}

extension HTTPResponse {
    var bodyBytes: [UInt8] {
        if case .bytes(let bytes) = body { return bytes }
        return []
    }

    var bodyText: String { String(decoding: bodyBytes, as: UTF8.self) }

    var bodyJSON: JSONValue? { try? JSONParser.parse(bodyBytes) }
}
