@testable import Server
import Testing

@Suite struct HTTPRequestParserTests {
    @Test func parsesSimpleGet_WithDecodedPathAndRawQuery() throws {
        let requests = try parseRequests("GET /api/2.0/mlflow/experiments/get%20x?experiment_id=1&a=b+c HTTP/1.1\r\nHost: h\r\nUser-Agent: t\r\n\r\n")
        #expect(requests.count == 1)
        let head = requests[0].head
        #expect(head.method == .GET)
        #expect(head.path == "/api/2.0/mlflow/experiments/get x")
        #expect(head.rawQuery == "experiment_id=1&a=b+c")
        #expect(head.version == .http11)
        #expect(head.headers["user-agent"] == "t")
        #expect(head.keepAlive)
        #expect(head.framing == .none)
    }

    @Test func parsesContentLengthBody() throws {
        let requests = try parseRequests("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\nhello world")
        #expect(requests.count == 1)
        #expect(String(decoding: requests[0].body, as: UTF8.self) == "hello world")
    }

    @Test func parsesChunkedBody_WithExtensionsAndTrailers() throws {
        let raw = "POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "5;name=value\r\nhello\r\n1 \r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: 1\r\n\r\n"
        let requests = try parseRequests(raw)
        #expect(requests.count == 1)
        #expect(String(decoding: requests[0].body, as: UTF8.self) == "hello 0123456789")
        #expect(requests[0].head.framing == .chunked)
    }

    @Test func parsesPipelinedRequestsInOrder() throws {
        let raw = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n0\r\n\r\nGET /d HTTP/1.1\r\nHost: h\r\n\r\n"
        let requests = try parseRequests(raw)
        #expect(requests.map(\.head.path) == ["/a", "/b", "/c", "/d"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["", "abc", "xy", ""])
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func sameResult_WhenInputArrivesInSmallPieces(pieceSize: Int) throws {
        let raw = "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "POST /c HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nxy\r\n10\r\n0123456789abcdef\r\n0\r\nT: v\r\n\r\n"
            + "\r\nGET /d?q=1 HTTP/1.0\r\n\r\n"
        let whole = try parseRequests(raw)
        let pieces = try parseRequests(raw, pieceSize: pieceSize)
        #expect(pieces.map(\.head.path) == whole.map(\.head.path))
        #expect(pieces.map(\.body) == whole.map(\.body))
        #expect(pieces.map(\.head.path) == ["/b", "/c", "/d"])
        #expect(pieces[2].head.version == .http10)
        #expect(!pieces[2].head.keepAlive)
    }

    @Test func keepAliveFollowsConnectionHeader() throws {
        #expect(try !parseRequests("GET / HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n")[0].head.keepAlive)
        #expect(try parseRequests("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n")[0].head.keepAlive)
    }

    @Test func expectContinue_IsReportedOnlyWithABody() throws {
        #expect(try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx")[0].head.expectsContinue)
        #expect(try !parseRequests("GET / HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n\r\n")[0].head.expectsContinue)
        #expect(throws: HTTPParseError.unsupportedExpectation) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nExpect: 200-ok\r\nContent-Length: 1\r\n\r\nx")
        }
    }

    @Test func absoluteFormTarget_IsReducedToPathAndQuery() throws {
        let head = try parseRequests("GET http://example.com:5000/health?x=1 HTTP/1.1\r\nHost: example.com\r\n\r\n")[0].head
        #expect(head.path == "/health")
        #expect(head.rawQuery == "x=1")
    }

    // MARK: - Framing errors

    @Test func rejectsContentLengthTogetherWithTransferEncoding() {
        #expect(throws: HTTPParseError.conflictingFraming) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
        }
    }

    @Test(arguments: ["-1", "abc", "1.5", "99999999999999999999", "", "+5", "3, 4"])
    func rejectsInvalidContentLength(value: String) {
        #expect(throws: HTTPParseError.invalidContentLength) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \(value)\r\n\r\n")
        }
    }

    @Test func rejectsDifferingRepeatedContentLength_ButAcceptsIdenticalOnes() throws {
        #expect(throws: HTTPParseError.invalidContentLength) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd")
        }
        #expect(try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc")[0].body.count == 3)
    }

    @Test(arguments: ["zz", "", ";ext", "fffffffffffffffff", "-1", "5 x"])
    func rejectsBadOrOverflowingChunkSize(size: String) {
        #expect(throws: HTTPParseError.invalidChunkSize) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n\(size)\r\nhello\r\n0\r\n\r\n",
                              maxBodyBytes: Int.max)
        }
    }

    @Test func rejectsChunkWithoutTrailingCRLF() {
        #expect(throws: HTTPParseError.malformedChunk) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcXY0\r\n\r\n")
        }
    }

    @Test func rejectsUnknownOrNonFinalTransferCodings() {
        #expect(throws: HTTPParseError.unsupportedTransferEncoding) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: gzip, chunked\r\n\r\n")
        }
        #expect(throws: HTTPParseError.malformedHeader) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked, gzip\r\n\r\n")
        }
    }

    @Test func rejectsHeadersLargerThanTheLimit_EvenBeforeTheyEnd() {
        let big = "GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + String(repeating: "a", count: 2000) + "\r\n\r\n"
        #expect(throws: HTTPParseError.headersTooLarge(limit: 1024)) { try parseRequests(big, maxHeaderBytes: 1024) }
        let unterminated = "GET / HTTP/1.1\r\nX: " + String(repeating: "a", count: 5000)
        #expect(throws: HTTPParseError.headersTooLarge(limit: 1024)) { try parseRequests(unterminated, pieceSize: 100, maxHeaderBytes: 1024) }
    }

    @Test func rejectsBodiesOverTheLimit() {
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 10)) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n", maxBodyBytes: 10)
        }
        #expect(throws: HTTPParseError.bodyTooLarge(limit: 10)) {
            try parseRequests("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n", maxBodyBytes: 10)
        }
    }

    @Test(arguments: [
        "GET /\r\nHost: h\r\n\r\n", "GET / HTTP/1.1 extra\r\nHost: h\r\n\r\n", "GET  / HTTP/1.1\r\nHost: h\r\n\r\n",
        "GET / HTTP/1.1x\r\nHost: h\r\n\r\n", "GET / http/1.1\r\nHost: h\r\n\r\n", " GET / HTTP/1.1\r\nHost: h\r\n\r\n",
    ])
    func rejectsMalformedRequestLines(raw: String) {
        #expect(throws: HTTPParseError.self) { try parseRequests(raw) }
    }

    @Test func reportsSpecificRequestLineErrors() {
        #expect(throws: HTTPParseError.invalidMethod) { try parseRequests("G(T / HTTP/1.1\r\nHost: h\r\n\r\n") }
        #expect(throws: HTTPParseError.invalidTarget) { try parseRequests("GET nope HTTP/1.1\r\nHost: h\r\n\r\n") }
        #expect(throws: HTTPParseError.unsupportedVersion) { try parseRequests("GET / HTTP/2.0\r\nHost: h\r\n\r\n") }
        #expect(throws: HTTPParseError.missingHost) { try parseRequests("GET / HTTP/1.1\r\n\r\n") }
        #expect(throws: HTTPParseError.missingHost) { try parseRequests("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n") }
    }

    @Test(arguments: ["Bad Name: v", "Name : v", "NoColon", " folded: v", "X: a\u{0}b", ":empty"])
    func rejectsMalformedHeaderLines(line: String) {
        #expect(throws: HTTPParseError.malformedHeader) { try parseRequests("GET / HTTP/1.1\r\nHost: h\r\n\(line)\r\n\r\n") }
    }

    @Test(arguments: ["/a%zz", "/a%4", "/%", "/a%00b", "/%C3%28"])
    func rejectsInvalidPercentEncodingInThePath(path: String) {
        #expect(throws: HTTPParseError.invalidPercentEncoding) { try parseRequests("GET \(path) HTTP/1.1\r\nHost: h\r\n\r\n") }
    }

    @Test func skipsEmptyLinesBeforeTheRequestLine() throws {
        #expect(try parseRequests("\r\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n").map(\.head.path) == ["/x"])
    }
}
