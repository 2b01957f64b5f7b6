/// An incremental HTTP/1.1 request parser over raw bytes.
///
/// The connection appends whatever the socket delivered to one buffer and calls `next(in:from:)` until it
/// answers nil (more bytes needed). Events come in order: one `.head`, zero or more `.body` ranges (indexes into
/// the caller's buffer, so no body byte is copied here), then `.end`; then the next pipelined request begins.
/// Input may arrive split anywhere, down to one byte at a time; the header scan resumes where it stopped.
struct HTTPRequestParser {
    enum Event {
        case head(HTTPRequestHead)
        /// Body bytes at these indexes of the caller's buffer. An empty range only reports framing bytes consumed.
        case body(Range<Int>)
        case end
    }

    private enum State {
        case head(scanFrom: Int)
        case endPending
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers(bytesSoFar: Int)
    }

    /// Upper bound on the request line plus header section (→ 431).
    var maxHeaderBytes: Int
    /// Upper bound on this request's body (→ 413). The connection may raise it for a streaming route
    /// after seeing the head; it applies to Content-Length up front and to chunked bodies as they arrive.
    var bodyLimit: Int

    private var state: State = .head(scanFrom: 0)
    private var chunkedBytesSoFar = 0

    init(maxHeaderBytes: Int, maxBodyBytes: Int) {
        self.maxHeaderBytes = maxHeaderBytes
        self.bodyLimit = maxBodyBytes
    }

    /// True between requests, when no byte of the next request has been consumed.
    var isAtRequestBoundary: Bool {
        if case .head(let scanFrom) = state { return scanFrom == 0 }
        return false
    }

    /// Parses the next event from `buffer[start...]`. Returns the event and how many bytes it consumed,
    /// or nil when more input is needed.
    mutating func next(in buffer: [UInt8], from start: Int) throws(HTTPParseError) -> (event: Event, consumed: Int)? {
        try buffer.withUnsafeBufferPointer { (bytes) throws(HTTPParseError) in try next(bytes, from: start) }
    }

    private mutating func next(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) throws(HTTPParseError) -> (event: Event, consumed: Int)? {
        let available = bytes.count - start
        switch state {
        case .head(let scanFrom):
            return try parseHead(bytes, from: start, scanFrom: scanFrom)

        case .endPending:
            state = .head(scanFrom: 0)
            return (.end, 0)

        case .fixed(let remaining):
            guard available > 0 else { return nil }
            let take = min(available, remaining)
            state = take == remaining ? .endPending : .fixed(remaining: remaining - take)
            return (.body(start..<start + take), take)

        case .chunkSize:
            // chunk = chunk-size [ chunk-ext ] CRLF chunk-data CRLF (RFC 9112 §7.1)
            guard let lineEnd = Self.findCRLF(bytes, from: start, limit: 4096) else {
                if available > 4096 { throw .invalidChunkSize }
                return nil
            }
            let size = try Self.parseChunkSize(bytes, from: start, to: lineEnd)
            let consumed = lineEnd + 2 - start
            if size == 0 {
                state = .trailers(bytesSoFar: 0)
                return try next(bytes, from: start + consumed).map { ($0.event, $0.consumed + consumed) }
                    ?? advanceOnly(start, consumed)
            }
            chunkedBytesSoFar += size
            if chunkedBytesSoFar > bodyLimit { throw .bodyTooLarge(limit: bodyLimit) }
            state = .chunkData(remaining: size)
            return try next(bytes, from: start + consumed).map { ($0.event, $0.consumed + consumed) }
                ?? advanceOnly(start, consumed)

        case .chunkData(let remaining):
            guard available > 0 else { return nil }
            let take = min(available, remaining)
            state = take == remaining ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            return (.body(start..<start + take), take)

        case .chunkDataEnd:
            guard available >= 2 else {
                if available == 1, bytes[start] != UInt8(ascii: "\r") { throw .malformedChunk }
                return nil
            }
            guard bytes[start] == UInt8(ascii: "\r"), bytes[start + 1] == UInt8(ascii: "\n") else { throw .malformedChunk }
            state = .chunkSize
            return try next(bytes, from: start + 2).map { ($0.event, $0.consumed + 2) } ?? advanceOnly(start, 2)

        case .trailers(let bytesSoFar):
            // trailer-section = *( field-line CRLF ) CRLF; trailers are read and discarded (RFC 9112 §7.1.2).
            guard let lineEnd = Self.findCRLF(bytes, from: start, limit: maxHeaderBytes - bytesSoFar) else {
                if available + bytesSoFar > maxHeaderBytes { throw .headersTooLarge(limit: maxHeaderBytes) }
                return nil
            }
            let consumed = lineEnd + 2 - start
            if lineEnd == start {
                state = .head(scanFrom: 0)
                return (.end, consumed)
            }
            state = .trailers(bytesSoFar: bytesSoFar + consumed)
            return try next(bytes, from: start + consumed).map { ($0.event, $0.consumed + consumed) }
                ?? advanceOnly(start, consumed)
        }
    }

    /// Framing bytes were consumed but no event is complete yet. Reported as an empty body range so the caller
    /// advances its read index and the parser's state stays in step with the buffer.
    private func advanceOnly(_ start: Int, _ consumed: Int) -> (event: Event, consumed: Int) {
        (.body(start + consumed..<start + consumed), consumed)
    }

    // MARK: - Head

    private mutating func parseHead(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, scanFrom: Int) throws(HTTPParseError) -> (event: Event, consumed: Int)? {
        // A server SHOULD ignore at least one empty line received before the request-line (RFC 9112 §2.2).
        var begin = start
        while begin + 1 < bytes.count, bytes[begin] == UInt8(ascii: "\r"), bytes[begin + 1] == UInt8(ascii: "\n"), begin - start < 8 {
            begin += 2
        }
        let searchFrom = max(begin, start + scanFrom - 3)
        guard let headEnd = Self.findDoubleCRLF(bytes, from: searchFrom) else {
            if bytes.count - start > maxHeaderBytes { throw .headersTooLarge(limit: maxHeaderBytes) }
            state = .head(scanFrom: bytes.count - start)
            return nil
        }
        if headEnd + 4 - begin > maxHeaderBytes { throw .headersTooLarge(limit: maxHeaderBytes) }
        let head = try Self.parseHeadSection(bytes, from: begin, to: headEnd)
        chunkedBytesSoFar = 0
        switch head.framing {
        case .none: state = .endPending
        case .length(let n):
            if n > bodyLimit { throw .bodyTooLarge(limit: bodyLimit) }
            state = n == 0 ? .endPending : .fixed(remaining: n)
        case .chunked: state = .chunkSize
        }
        return (.head(head), headEnd + 4 - start)
    }

    /// Re-checks a Content-Length body against a raised or lowered limit after the head was seen.
    mutating func applyBodyLimit(_ limit: Int, to framing: HTTPRequestHead.BodyFraming) throws(HTTPParseError) {
        bodyLimit = limit
        if case .length(let n) = framing, n > limit { throw .bodyTooLarge(limit: limit) }
    }

    static func parseHeadSection(_ bytes: UnsafeBufferPointer<UInt8>, from begin: Int, to end: Int) throws(HTTPParseError) -> HTTPRequestHead {
        guard let lineEnd = findCRLF(bytes, from: begin, limit: end - begin + 2) else { throw .malformedRequestLine }
        // request-line = method SP request-target SP HTTP-version (RFC 9112 §3)
        guard let firstSpace = firstIndex(of: UInt8(ascii: " "), in: bytes, from: begin, to: lineEnd),
              let secondSpace = firstIndex(of: UInt8(ascii: " "), in: bytes, from: firstSpace + 1, to: lineEnd)
        else { throw .malformedRequestLine }
        guard firstSpace > begin else { throw .invalidMethod }
        for i in begin..<firstSpace where !isTokenChar(bytes[i]) { throw .invalidMethod }
        let method = HTTPMethod(rawValue: string(bytes, begin, firstSpace))

        guard secondSpace > firstSpace + 1 else { throw .invalidTarget }
        for i in (firstSpace + 1)..<secondSpace where bytes[i] <= 0x20 || bytes[i] >= 0x7F { throw .invalidTarget }
        let target = string(bytes, firstSpace + 1, secondSpace)
        let version = try parseVersion(bytes, from: secondSpace + 1, to: lineEnd)

        var headers = HTTPHeaders()
        var lineStart = lineEnd + 2
        while lineStart < end {
            guard let next = findCRLF(bytes, from: lineStart, limit: end - lineStart + 2) else { throw .malformedHeader }
            try parseFieldLine(bytes, from: lineStart, to: next, into: &headers)
            lineStart = next + 2
        }

        let (path, rawQuery) = try splitTarget(target, method: method)
        let framing = try framing(of: headers, version: version)
        if version == .http11 {
            // A server MUST respond 400 to an HTTP/1.1 request that lacks a Host field or has more than one (RFC 9112 §3.2).
            guard headers.values("Host").count == 1 else { throw .missingHost }
        }
        var expectsContinue = false
        if let expect = headers["Expect"] {
            guard expect.trimmingWhitespace().lowercased() == "100-continue" else { throw .unsupportedExpectation }
            expectsContinue = version == .http11 && framing != .none && framing != .length(0)
        }
        let keepAlive = version == .http11
            ? !headers.hasToken("close", in: "Connection")
            : headers.hasToken("keep-alive", in: "Connection")
        return HTTPRequestHead(
            method: method, target: target, path: path, rawQuery: rawQuery, version: version, headers: headers,
            framing: framing, keepAlive: keepAlive, expectsContinue: expectsContinue)
    }

    private static func parseVersion(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) throws(HTTPParseError) -> HTTPVersion {
        // HTTP-version = "HTTP" "/" DIGIT "." DIGIT (RFC 9112 §2.3)
        guard end - start == 8, string(bytes, start, start + 5) == "HTTP/",
              isDigit(bytes[start + 5]), bytes[start + 6] == UInt8(ascii: "."), isDigit(bytes[start + 7])
        else { throw .malformedRequestLine }
        switch (bytes[start + 5], bytes[start + 7]) {
        case (UInt8(ascii: "1"), UInt8(ascii: "1")): return .http11
        case (UInt8(ascii: "1"), UInt8(ascii: "0")): return .http10
        default: throw .unsupportedVersion
        }
    }

    private static func parseFieldLine(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int, into headers: inout HTTPHeaders) throws(HTTPParseError) {
        // obs-fold (a line starting with whitespace) is rejected with 400 (RFC 9112 §5.2).
        guard start < end, bytes[start] != UInt8(ascii: " "), bytes[start] != UInt8(ascii: "\t") else { throw .malformedHeader }
        guard let colon = firstIndex(of: UInt8(ascii: ":"), in: bytes, from: start, to: end), colon > start else {
            throw .malformedHeader
        }
        // No whitespace is allowed between the field name and colon (RFC 9112 §5.1): tokens only.
        for i in start..<colon where !isTokenChar(bytes[i]) { throw .malformedHeader }
        var valueStart = colon + 1
        var valueEnd = end
        while valueStart < valueEnd, bytes[valueStart] == UInt8(ascii: " ") || bytes[valueStart] == UInt8(ascii: "\t") { valueStart += 1 }
        while valueEnd > valueStart, bytes[valueEnd - 1] == UInt8(ascii: " ") || bytes[valueEnd - 1] == UInt8(ascii: "\t") { valueEnd -= 1 }
        for i in valueStart..<valueEnd {
            let b = bytes[i]
            // field-vchar allows obs-text (≥ 0x80) and HTAB, never other controls such as a bare CR or NUL.
            if (b < 0x20 && b != UInt8(ascii: "\t")) || b == 0x7F { throw .malformedHeader }
        }
        headers.add(string(bytes, start, colon), string(bytes, valueStart, valueEnd))
    }

    private static func framing(of headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) -> HTTPRequestHead.BodyFraming {
        let transferEncodings = headers.values("Transfer-Encoding")
        let contentLengths = headers.values("Content-Length")
        if !transferEncodings.isEmpty {
            // A message with both is a request-smuggling attempt or a broken client (RFC 9112 §6.1, §6.3).
            guard contentLengths.isEmpty else { throw .conflictingFraming }
            // HTTP/1.0 has no transfer codings; such a message is faulty (RFC 9112 §6.1).
            guard version == .http11 else { throw .malformedHeader }
            let codings = transferEncodings.flatMap { $0.split(separator: ",") }.map { $0.trimmingWhitespace().lowercased() }
            // chunked must be the final coding, else the length cannot be determined: 400 (RFC 9112 §6.3).
            guard codings.last == "chunked" else { throw .malformedHeader }
            // We decode no other coding: 501 (RFC 9112 §6.1).
            guard codings.count == 1 else { throw .unsupportedTransferEncoding }
            return .chunked
        }
        guard !contentLengths.isEmpty else { return .none }
        // Repeated or list-valued Content-Length is accepted only when every value is identical (RFC 9110 §8.6).
        var length: Int?
        for field in contentLengths {
            for item in field.split(separator: ",", omittingEmptySubsequences: false) {
                let digits = item.trimmingWhitespace()
                guard !digits.isEmpty, digits.utf8.count <= 18, digits.utf8.allSatisfy(isDigit), let value = Int(digits) else {
                    throw .invalidContentLength
                }
                if let existing = length, existing != value { throw .invalidContentLength }
                length = value
            }
        }
        return .length(length ?? 0)
    }

    /// Splits the target into a decoded path and the raw query. Accepts origin-form, absolute-form and `*`
    /// (RFC 9112 §3.2).
    private static func splitTarget(_ target: String, method: HTTPMethod) throws(HTTPParseError) -> (String, String) {
        var pathAndQuery = Substring(target)
        if target == "*" {
            guard method == .OPTIONS else { throw .invalidTarget }
            return ("*", "")
        }
        if !target.hasPrefix("/") {
            // absolute-form: scheme "://" authority path-abempty [ "?" query ]
            guard let colon = target.firstIndex(of: ":"), target[colon...].hasPrefix("://") else { throw .invalidTarget }
            let authorityStart = target.index(colon, offsetBy: 3)
            let afterAuthority = target[authorityStart...].drop { $0 != "/" && $0 != "?" }
            pathAndQuery = afterAuthority.isEmpty ? "/" : afterAuthority
            if pathAndQuery.first == "?" { pathAndQuery = "/" + pathAndQuery }
        }
        let pathPart: Substring
        let query: Substring
        if let mark = pathAndQuery.firstIndex(of: "?") {
            pathPart = pathAndQuery[..<mark]
            query = pathAndQuery[pathAndQuery.index(after: mark)...]
        } else {
            pathPart = pathAndQuery
            query = ""
        }
        guard let path = PercentEncoding.decode(pathPart, plusAsSpace: false) else { throw .invalidPercentEncoding }
        // A decoded NUL could cut a path short in a C call later on.
        guard !path.utf8.contains(0) else { throw .invalidPercentEncoding }
        return (path, String(query))
    }

    private static func parseChunkSize(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) throws(HTTPParseError) -> Int {
        var size = 0
        var digits = 0
        var i = start
        while i < end, let value = hexValue(bytes[i]) {
            // 15 hex digits keep the value below 2^60, far beyond any body limit, so no overflow is possible.
            digits += 1
            guard digits <= 15 else { throw .invalidChunkSize }
            size = size << 4 | value
            i += 1
        }
        guard digits > 0 else { throw .invalidChunkSize }
        // chunk-ext = *( BWS ";" BWS ext-name [ BWS "=" BWS ext-val ] ); extensions are ignored (RFC 9112 §7.1.1).
        while i < end, bytes[i] == UInt8(ascii: " ") || bytes[i] == UInt8(ascii: "\t") { i += 1 }
        guard i == end || bytes[i] == UInt8(ascii: ";") else { throw .invalidChunkSize }
        for j in i..<end where bytes[j] < 0x20 && bytes[j] != UInt8(ascii: "\t") { throw .invalidChunkSize }
        return size
    }

    // MARK: - Byte helpers

    static func findCRLF(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, limit: Int) -> Int? {
        let stop = min(bytes.count - 1, start + max(limit, 0))
        var i = start
        while i < stop {
            if bytes[i] == UInt8(ascii: "\r") && bytes[i + 1] == UInt8(ascii: "\n") { return i }
            i += 1
        }
        return nil
    }

    static func findDoubleCRLF(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var i = max(start, 0)
        let last = bytes.count - 4
        while i <= last {
            // Skip ahead quickly: the fourth byte of the terminator must be LF.
            if bytes[i + 3] != UInt8(ascii: "\n") { i += 1; continue }
            if bytes[i] == UInt8(ascii: "\r"), bytes[i + 1] == UInt8(ascii: "\n"), bytes[i + 2] == UInt8(ascii: "\r") { return i }
            i += 1
        }
        return nil
    }

    private static func firstIndex(of byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int? {
        var i = start
        while i < end {
            if bytes[i] == byte { return i }
            i += 1
        }
        return nil
    }

    private static func string(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self)
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private static func hexValue(_ b: UInt8) -> Int? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    /// (RFC 9110 §5.6.2)
    static func isTokenChar(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"), UInt8(ascii: "'"),
             UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "^"), UInt8(ascii: "_"),
             UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}
