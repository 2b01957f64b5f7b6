#if canImport(Glibc)
import Glibc
#endif
import CEpoll

/// One client connection: reads and parses requests, hands each to its handler, writes the response, and
/// answers pipelined requests strictly in order (the next request is not started until the previous
/// response has been queued).
///
/// The event loop drives it, except while a handler thread serves a buffered request: that thread then owns
/// the connection, writes the response itself and goes on with the next request if one is already there, so
/// the usual request costs one wake-up (loop → handler) instead of two (see `ConnectionOwnership`).
final class Connection: @unchecked Sendable {
    // Safe to share: the mutable fields below are touched only by the connection's current owner, the loop
    // thread or the one handler thread it handed the connection to. Every hand-over goes through `ownership`
    // (under `ownershipLock`: the loop sets `handlerOwns` before submitting the job, the handler clears it when
    // done), and every loop-side entry point checks it first, so two threads never use the state at once.
    let fd: Int32
    unowned let loop: EventLoop
    // A pthread mutex rather than `Mutex`: ThreadSanitizer understands it, so a TSan build checks the hand-over.
    private let ownershipLock = ConditionLock()
    private var ownershipState = ConnectionOwnership()
    /// True while the owner is a handler thread (read only by the owner).
    private var onHandlerThread = false
    /// A buffered request whose handler is due; run by the owner once its current step is done.
    private var pendingJob: Job?
    private var cachedDate: (second: Int, text: [UInt8]) = (-1, [])
    private var parser: HTTPRequestParser
    private var inbound: [UInt8] = []
    private var inboundStart = 0
    private var outbound: [UInt8] = []
    private var outboundSent = 0
    private var pendingFile: (body: FileBody, offset: Int, remaining: Int)?
    private var pendingStream: StreamState?
    private var closed = false
    private var closeAfterResponse = false
    private var readPaused = false
    /// Set once a request could not be framed: nothing more is read from this connection.
    private var rejected = false
    private var deadline: UInt64 = 0

    /// The request being served, from its head until its response is fully written.
    private var exchange: Exchange?

    private struct Exchange {
        let head: HTTPRequestHead
        let startedAt: UInt64
        var mode: Mode
        var body: [UInt8] = []
        var bodyComplete = false
        var responded = false
        var status = 0
        var bytesSent = 0

        enum Mode {
            case buffered(Router.Route, parameters: [String: String], query: QueryParameters)
            case streaming(RequestBodyStream)
            /// The answer is already known (unknown route, bad query); the body is read and dropped.
            case discarding(HTTPResponse)
        }
    }

    private typealias Job = (route: Router.Route, request: HTTPRequest)

    private static let readSize = 64 * 1024

    /// What the loop's epoll queue watches on a connection.
    static let interest: EventQueue.Readiness = [.readable, .writable, .hangup]

    private struct StreamState {
        let source: any ResponseBodySource
        var chunkRequested = false
        var finished = false
        let chunked: Bool
    }

    init(fd: Int32, loop: EventLoop) {
        self.fd = fd
        self.loop = loop
        parser = HTTPRequestParser(
            maxHeaderBytes: loop.configuration.maxHeaderBytes, maxBodyBytes: loop.configuration.maxBodyBytes)
    }

    private var configuration: HTTPServer.Configuration { loop.configuration }

    func start() {
        setDeadline(seconds: configuration.headerTimeoutSeconds)
        readAvailable()
        handOffPendingJob()
    }

    // MARK: - Ownership

    /// Any thread: reads or changes who owns the connection (the one state touched outside the owner).
    private func withOwnership<T>(_ body: (inout ConnectionOwnership) -> T) -> T {
        ownershipLock.withLock { body(&ownershipState) }
    }

    /// Loop thread: readiness from epoll. Recorded for the handler thread when it owns the connection.
    func loopHandle(_ readiness: EventQueue.Readiness) {
        let loopOwns = withOwnership { state -> Bool in
            if state.handlerOwns { state.missedReadiness.formUnion(readiness) }
            return !state.handlerOwns
        }
        guard loopOwns else { return }
        handle(readiness)
        handOffPendingJob()
    }

    /// Loop thread: runs `work` as the owner now, or leaves it for the handler thread that owns the connection.
    func onLoop(_ work: @escaping @Sendable () -> Void) {
        let loopOwns = withOwnership { state -> Bool in
            if state.handlerOwns { state.deferred.append(work) }
            return !state.handlerOwns
        }
        guard loopOwns else { return }
        work()
        handOffPendingJob()
    }

    /// Any thread: runs `work` on the loop, as the connection's owner.
    private func post(_ work: @escaping @Sendable () -> Void) {
        loop.post { [self] in onLoop(work) }
    }

    /// Loop thread, as owner: a buffered request is ready for its handler, so the connection goes with it to
    /// a handler thread. Called last in every loop-side entry point: from here on the loop must not touch it.
    private func handOffPendingJob() {
        guard let job = pendingJob else { return }
        pendingJob = nil
        withOwnership { $0.handlerOwns = true }
        loop.pool.submit { [loop, self] in
            // `loop` is captured so it outlives a job still running after shutdown.
            withExtendedLifetime(loop) { serveOnHandlerThread(job) }
        }
    }

    /// Handler thread, as owner: runs the handler, writes the response and serves whatever follows on this
    /// connection (pipelined requests, the next request if it comes within `lingerMilliseconds`, events the
    /// loop recorded), then gives the connection back.
    private func serveOnHandlerThread(_ first: Job) {
        onHandlerThread = true
        var job: Job? = first
        // While lingering, this thread holds one of the pool's linger slots and the descriptor is taken out of
        // the loop's epoll set, so the next request wakes this thread only.
        var lingering = false
        var lingerUntil: UInt64 = 0
        while true {
            while let (route, request) = job {
                respond(ErrorBoundary.run(route.handler, request, logger: configuration.logger))
                job = takePendingJob()
                lingerUntil = monotonicNanoseconds() + UInt64(configuration.lingerMilliseconds) * 1_000_000
            }
            if mayLinger {
                if !lingering && loop.pool.beginLinger() {
                    lingering = true
                    loop.queue.modify(fd, readiness: [])
                }
                if lingering && waitForBytes(until: lingerUntil) {
                    job = takePendingJob()
                    continue
                }
            }
            if lingering {
                lingering = false
                // Back in the loop's set before the hand-back; readiness that already holds is reported at once.
                if !closed { loop.queue.modify(fd, readiness: Self.interest) }
                loop.pool.endLinger()
            }
            onHandlerThread = false
            switch withOwnership({ $0.release() }) {
            case .released:
                return
            case .work(let readiness, let deferred):
                onHandlerThread = true
                if !readiness.isEmpty { handle(readiness) }
                for work in deferred { work() }
                job = takePendingJob()
            }
        }
    }

    private func takePendingJob() -> Job? {
        defer { pendingJob = nil }
        return pendingJob
    }

    /// Whether the handler thread may wait on this connection for its next request: it is open, idle between
    /// requests (or has part of the next one), and no shutdown or queued job needs the thread.
    private var mayLinger: Bool {
        configuration.lingerMilliseconds > 0 && !closed && exchange == nil && !loop.isDraining
            && !loop.pool.hasWaitingJobs
    }

    /// Handler thread, lingering: waits until bytes arrive or `deadline` passes, and reads them if they came.
    private func waitForBytes(until deadline: UInt64) -> Bool {
        let now = monotonicNanoseconds()
        guard now < deadline else { return false }
        var entry = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&entry, 1, Int32((deadline - now + 999_999) / 1_000_000))
        // 0 is the time-out; -1 (EINTR) also just ends the wait.
        guard ready > 0 else { return false }
        handle(entry.revents & Int16(POLLERR) != 0 ? [.readable, .error] : .readable)
        return true
    }

    // MARK: - Events

    private func handle(_ readiness: EventQueue.Readiness) {
        guard !closed else { return }
        if readiness.contains(.error) {
            close()
            return
        }
        if readiness.contains(.writable) { flush() }
        if !closed, readiness.contains(.readable) || readiness.contains(.hangup) {
            // `.hangup` is two bits (RDHUP, HUP); a half-close reports only the first.
            readAvailable(stopAtShortRead: readiness.isDisjoint(with: .hangup))
        }
    }

    /// Loop thread. A connection a handler thread owns is skipped: its exchange's clock is not running.
    func checkDeadline(now: UInt64) {
        guard !withOwnership({ $0.handlerOwns }) else { return }
        guard !closed, deadline != 0, now >= deadline else { return }
        // No 408: MLflow's client retries it for minutes (MLFLOW_API.md §1.6); closing is the answer.
        if let exchange, case .streaming(let stream) = exchange.mode, !exchange.bodyComplete {
            stream.fail(RequestBodyError.timedOut)
        }
        close()
    }

    /// Loop thread. Shutdown: an idle connection closes now; a busy one after its response.
    func drain() {
        onLoop { [self] in
            closeAfterResponse = true
            if exchange == nil && inboundStart == inbound.count { close() }
        }
    }

    /// Loop thread, at the end of the shutdown grace period. A connection a handler thread still owns cannot
    /// be closed under it; shutting the socket down ends the exchange, and that thread closes it when done.
    func forceClose() {
        let loopOwns = withOwnership { state -> Bool in
            if state.handlerOwns && !state.descriptorClosed { shutdown(fd, Int32(SHUT_RDWR)) }
            return !state.handlerOwns
        }
        if loopOwns { close() }
    }

    // MARK: - Reading

    /// Reads and processes what the socket holds. `stopAtShortRead`: a read that did not fill the buffer
    /// emptied the socket's queue (TCP copies all it has), so the read that would only say EAGAIN is skipped;
    /// bytes that arrive later raise a new epoll edge (or wake a lingering poll). Not after a hang-up, whose
    /// end of stream must be read to be seen.
    private func readAvailable(stopAtShortRead: Bool = false) {
        while !closed && !readPaused {
            // While a response is pending, pipelined bytes wait in `inbound`; stop reading once enough
            // are queued so a client cannot make us buffer without bound.
            if exchange != nil && !isReadingBody && inbound.count - inboundStart > configuration.maxHeaderBytes + 65536 {
                readPaused = true
                return
            }
            let result: Socket.IOResult
            let wasEmpty = exchange == nil && inboundStart == inbound.count
            do {
                // A stack buffer, not one per loop: the owner may be a handler thread.
                result = try withUnsafeTemporaryAllocation(byteCount: Self.readSize, alignment: 16) { scratch in
                    let result = try Socket.read(fd, into: scratch)
                    if case .transferred(let n) = result {
                        inbound.append(contentsOf: UnsafeRawBufferPointer(rebasing: scratch[0..<n]))
                    }
                    return result
                }
            } catch {
                close()
                return
            }
            switch result {
            case .transferred(let n):
                // The header timeout runs from a request's first byte, not from each byte (slow-loris).
                if wasEmpty { setDeadline(seconds: configuration.headerTimeoutSeconds) }
                processInbound()
                if stopAtShortRead && n < Self.readSize { return }
            case .wouldBlock:
                return
            case .endOfStream:
                peerClosed()
                return
            }
        }
    }

    private var isReadingBody: Bool {
        guard let exchange else { return false }
        return !exchange.bodyComplete
    }

    private func peerClosed() {
        guard let exchange else {
            close()
            return
        }
        if !exchange.bodyComplete {
            if case .streaming(let stream) = exchange.mode { stream.fail(RequestBodyError.clientDisconnected) }
            close()
            return
        }
        // The whole request arrived and the client half-closed: answer, then close.
        closeAfterResponse = true
    }

    /// Parses as far as the buffered bytes allow, dispatching each complete request.
    private func processInbound() {
        while !closed && !readPaused {
            // One request at a time: the next head is parsed only after this response is queued.
            if let exchange, exchange.bodyComplete { break }
            let step: (event: HTTPRequestParser.Event, consumed: Int)?
            do {
                step = try parser.next(in: inbound, from: inboundStart)
            } catch {
                failRequest(error)
                return
            }
            guard let (event, consumed) = step else { break }
            let range: Range<Int>? = { if case .body(let r) = event { return r } else { return nil } }()
            switch event {
            case .head(let head):
                inboundStart += consumed
                beginExchange(head)
            case .body:
                if let range, !range.isEmpty { receiveBody(inbound[range]) }
                inboundStart += consumed
            case .end:
                inboundStart += consumed
                finishBody()
            }
        }
        compactInbound()
    }

    private func compactInbound() {
        if inboundStart == inbound.count {
            inbound.removeAll(keepingCapacity: inbound.capacity <= 256 * 1024)
            inboundStart = 0
        } else if inboundStart > 64 * 1024 {
            inbound.removeFirst(inboundStart)
            inboundStart = 0
        }
    }

    private func beginExchange(_ head: HTTPRequestHead) {
        let started = monotonicNanoseconds()
        let mode: Exchange.Mode
        var streamingDispatch: (Router.Route, HTTPRequest)?
        switch loop.router.match(method: head.method, path: head.path) {
        case .notFound:
            mode = .discarding(ErrorBoundary.errorResponse(
                status: .notFound, code: APIError.Code.endpointNotFound.rawValue,
                message: "No endpoint \(head.method) \(head.path)"))
        case .methodNotAllowed(let allowed):
            var response = ErrorBoundary.errorResponse(
                status: .methodNotAllowed, code: APIError.Code.badRequest.rawValue,
                message: "Method \(head.method) is not allowed on \(head.path)")
            response.headers.set("Allow", Set(allowed.map(\.rawValue)).sorted().joined(separator: ", "))
            mode = .discarding(response)
        case .found(let route, let parameters):
            do {
                let query = try QueryParameters(decoding: head.rawQuery)
                if route.options.contains(.streamingBody) {
                    try parser.applyBodyLimit(Int.max, to: head.framing)
                    let declared: Int? = if case .length(let n) = head.framing { n } else { head.framing == .none ? 0 : nil }
                    let stream = RequestBodyStream(
                        declaredLength: declared,
                        readTimeoutNanoseconds: UInt64(configuration.ioTimeoutSeconds * 1e9))
                    stream.onDrain = { [self] in post { self.resumeReading() } }
                    mode = .streaming(stream)
                    streamingDispatch = (route, HTTPRequest(head: head, query: query, pathParameters: parameters, bodyStream: stream))
                } else {
                    try parser.applyBodyLimit(configuration.maxBodyBytes, to: head.framing)
                    mode = .buffered(route, parameters: parameters, query: query)
                }
            } catch {
                failRequest(error, head: head)
                return
            }
        }
        exchange = Exchange(head: head, startedAt: started, mode: mode)
        setDeadline(seconds: configuration.ioTimeoutSeconds)
        // A streaming handler starts now, with the body still to come; the exchange must exist first.
        if let (route, request) = streamingDispatch { dispatch(route, request) }
        // Ask for the body only once we mean to read it (RFC 9110 §10.1.1): not after a final answer (a 503).
        if head.expectsContinue && exchange?.responded != true {
            outbound.append(contentsOf: "HTTP/1.1 100 Continue\r\n\r\n".utf8)
            flush()
        }
    }

    private func receiveBody(_ bytes: ArraySlice<UInt8>) {
        guard var current = exchange else { return }
        setDeadline(seconds: configuration.ioTimeoutSeconds)
        switch current.mode {
        case .buffered:
            exchange = nil  // keep the buffer uniquely referenced while appending
            current.body.append(contentsOf: bytes)
            exchange = current
        case .streaming(let stream):
            if !stream.append(bytes) { readPaused = true }
        case .discarding:
            break
        }
    }

    private func finishBody() {
        guard var current = exchange else { return }
        current.bodyComplete = true
        exchange = current
        deadline = 0
        switch current.mode {
        case .buffered(let route, let parameters, let query):
            let request = HTTPRequest(head: current.head, query: query, pathParameters: parameters, body: current.body)
            exchange?.body = []
            dispatch(route, request)
        case .streaming(let stream):
            stream.finish()
        case .discarding(let response):
            respond(response)
        }
    }

    private func dispatch(_ route: Router.Route, _ request: HTTPRequest) {
        let logger = configuration.logger
        if route.options.contains(.inline) {
            respond(ErrorBoundary.run(route.handler, request, logger: logger))
            return
        }
        if route.options.contains(.streamingBody) {
            guard loop.pool.beginStreaming() else {
                // Answered before the body is read, so the connection closes after it; MLflow's client retries a
                // 503 with back-off.
                var busy = ErrorBoundary.errorResponse(
                    status: .serviceUnavailable, code: APIError.Code.temporarilyUnavailable.rawValue,
                    message: "Too many uploads in progress (\(loop.pool.streamingLimit)); retry later")
                busy.headers.set("Retry-After", "1")
                respond(busy)
                return
            }
            // Runs beside the connection, which keeps reading the body for it.
            loop.pool.submit { [loop, self] in
                let response = ErrorBoundary.run(route.handler, request, logger: logger)
                loop.pool.endStreaming()
                withExtendedLifetime(loop) { post { self.respond(response) } }
            }
            return
        }
        // The whole request is here: the owner runs it once the current step is done (on the loop: hands the
        // connection to a handler thread; on a handler thread: runs it next, on the same thread).
        pendingJob = (route, request)
    }

    /// A request that cannot be framed or accepted: answer it and close, since the stream position of the
    /// next request is unknown.
    private func failRequest(_ error: any Error, head: HTTPRequestHead? = nil) {
        if let exchange, case .streaming(let stream) = exchange.mode { stream.fail(error) }
        closeAfterResponse = true
        readPaused = true
        rejected = true
        inbound.removeAll()
        inboundStart = 0
        if exchange?.responded == true {
            // The streaming handler already answered; the broken remainder only ends the connection.
            close()
            return
        }
        if exchange == nil {
            let fallbackHead = head ?? HTTPRequestHead(
                method: "-", target: "-", path: "-", rawQuery: "", version: .http11, headers: HTTPHeaders(),
                framing: .none, keepAlive: false, expectsContinue: false)
            exchange = Exchange(head: fallbackHead, startedAt: monotonicNanoseconds(), mode: .discarding(HTTPResponse()))
        }
        exchange?.bodyComplete = true
        respond(ErrorBoundary.response(for: error, logger: configuration.logger))
    }

    private func resumeReading() {
        guard !closed, readPaused, !rejected else { return }
        readPaused = false
        processInbound()
        // Edge-triggered: data that arrived while paused raised no new event, so read now.
        readAvailable()
    }

    // MARK: - Writing

    /// Queues a response for the current exchange and starts sending it.
    private func respond(_ response: HTTPResponse) {
        guard !closed, var current = exchange, !current.responded else { return }
        current.responded = true
        current.status = response.status.code
        exchange = current
        if !current.bodyComplete {
            // A streaming handler answered before reading the whole body: the rest is never read.
            closeAfterResponse = true
        }
        if !current.head.keepAlive || loop.isDraining { closeAfterResponse = true }

        let isHead = current.head.method == .HEAD
        let length: Int?
        var chunked = false
        switch response.body {
        case .bytes(let bytes): length = bytes.count
        case .file(let file): length = file.length
        case .stream:
            length = nil
            // HTTP/1.0 has no chunked coding: the body ends when the connection closes.
            if current.head.version == .http11 { chunked = true } else { closeAfterResponse = true }
        }
        writeHead(response, length: length, chunked: chunked)
        if !isHead {
            switch response.body {
            case .bytes(let bytes): outbound.append(contentsOf: bytes)
            case .file(let file): pendingFile = (file, file.offset, file.length)
            case .stream(let source): pendingStream = StreamState(source: source, chunked: chunked)
            }
        }
        setDeadline(seconds: configuration.ioTimeoutSeconds)
        flush()
    }

    private func writeHead(_ response: HTTPResponse, length: Int?, chunked: Bool) {
        outbound.append(contentsOf: "HTTP/1.1 \(response.status.code) \(response.status.reason)\r\n".utf8)
        for (name, value) in response.headers {
            outbound.append(contentsOf: name.utf8)
            outbound.append(contentsOf: ": ".utf8)
            // A CR or LF in a value would end the header and start another (response splitting): never sent.
            if value.utf8.contains(where: { $0 == 13 || $0 == 10 }) {
                outbound.append(contentsOf: value.utf8.map { $0 == 13 || $0 == 10 ? 32 : $0 })
            } else {
                outbound.append(contentsOf: value.utf8)
            }
            outbound.append(contentsOf: "\r\n".utf8)
        }
        outbound.append(contentsOf: "Date: ".utf8)
        outbound.append(contentsOf: httpDate())
        outbound.append(contentsOf: "\r\n".utf8)
        if let length {
            outbound.append(contentsOf: "Content-Length: \(length)\r\n".utf8)
        } else if chunked {
            outbound.append(contentsOf: "Transfer-Encoding: chunked\r\n".utf8)
        }
        if closeAfterResponse {
            outbound.append(contentsOf: "Connection: close\r\n".utf8)
        } else if exchange?.head.version == .http10 {
            outbound.append(contentsOf: "Connection: keep-alive\r\n".utf8)
        }
        outbound.append(contentsOf: "\r\n".utf8)
    }

    /// Sends as much as the socket takes: queued bytes, then the file region, then streamed chunks.
    private func flush() {
        while !closed {
            if outboundSent < outbound.count {
                let result: Socket.IOResult
                do {
                    result = try outbound.withUnsafeBytes {
                        try Socket.send(fd, UnsafeRawBufferPointer(rebasing: $0[outboundSent...]))
                    }
                } catch {
                    close()
                    return
                }
                switch result {
                case .transferred(let n):
                    outboundSent += n
                    exchange?.bytesSent += n
                    setDeadline(seconds: configuration.ioTimeoutSeconds)
                    continue
                case .wouldBlock: return
                case .endOfStream:
                    close()
                    return
                }
            }
            outbound.removeAll(keepingCapacity: outbound.capacity <= 256 * 1024)
            outboundSent = 0

            if var file = pendingFile {
                if file.remaining == 0 {
                    pendingFile = nil
                    continue
                }
                var offset = off_t(file.offset)
                let n = sendfile(fd, file.body.fd, &offset, min(file.remaining, 1 << 30))
                if n > 0 {
                    file.offset += n
                    file.remaining -= n
                    exchange?.bytesSent += n
                    pendingFile = file
                    setDeadline(seconds: configuration.ioTimeoutSeconds)
                    continue
                }
                if n < 0 && (errno == EAGAIN || errno == EINTR) { return }
                // 0 means the file shrank under us; an error means the peer or the file failed. Either way the
                // promised Content-Length cannot be met, so the connection must end.
                close()
                return
            }

            if var stream = pendingStream {
                if stream.finished {
                    pendingStream = nil
                    continue
                }
                if !stream.chunkRequested {
                    stream.chunkRequested = true
                    pendingStream = stream
                    requestChunk(stream.source)
                }
                return
            }

            // Everything is sent. A streaming handler that answered before its body ended has set
            // closeAfterResponse, so finishing here closes instead of parsing the unread remainder.
            if let exchange, exchange.responded { responseFinished() }
            return
        }
    }

    private func requestChunk(_ source: any ResponseBodySource) {
        loop.pool.submit { [loop, self] in
            let result: Result<[UInt8]?, any Error> = Result { try source.nextChunk() }
            withExtendedLifetime(loop) { post { self.chunkArrived(result) } }
        }
    }

    private func chunkArrived(_ result: Result<[UInt8]?, any Error>) {
        guard !closed, var stream = pendingStream else { return }
        stream.chunkRequested = false
        switch result {
        case .success(let chunk?):
            if chunk.isEmpty { break }
            if stream.chunked {
                outbound.append(contentsOf: String(chunk.count, radix: 16).utf8)
                outbound.append(contentsOf: "\r\n".utf8)
                outbound.append(contentsOf: chunk)
                outbound.append(contentsOf: "\r\n".utf8)
            } else {
                outbound.append(contentsOf: chunk)
            }
        case .success(nil):
            if stream.chunked { outbound.append(contentsOf: "0\r\n\r\n".utf8) }
            stream.finished = true
        case .failure(let error):
            // The status line is long gone; a truncated body is the only honest signal left.
            configuration.logger.error("response stream failed: \(error)")
            close()
            return
        }
        pendingStream = stream
        flush()
    }

    /// The response is fully written: log it, then close or get ready for the next request.
    private func responseFinished() {
        guard let finished = exchange else { return }
        if configuration.accessLog {
            let micros = (monotonicNanoseconds() - finished.startedAt) / 1000
            configuration.logger.info(
                "access method=\(finished.head.method) path=\(finished.head.path) status=\(finished.status) "
                    + "duration_ms=\(Double(micros) / 1000) bytes=\(finished.bytesSent)")
        }
        exchange = nil
        if closeAfterResponse {
            close()
            return
        }
        setDeadline(seconds: inboundStart == inbound.count ? configuration.idleTimeoutSeconds : configuration.headerTimeoutSeconds)
        // Pipelined requests already buffered are served now, then whatever the socket has.
        let wasPaused = readPaused
        readPaused = false
        processInbound()
        if wasPaused { readAvailable() }
    }

    // MARK: - Lifecycle

    private func setDeadline(seconds: Double) {
        deadline = monotonicNanoseconds() + UInt64(seconds * 1_000_000_000)
    }

    /// The current IMF-fixdate for the Date header (RFC 9110 §6.6.1), recomputed at most once a second.
    /// Kept per connection because the owner may be any handler thread.
    private func httpDate() -> [UInt8] {
        let now = time(nil)
        if now != cachedDate.second {
            var parts = tm()
            var seconds = now
            gmtime_r(&seconds, &parts)
            var buffer = [Int8](repeating: 0, count: 64)
            let length = strftime(&buffer, buffer.count, "%a, %d %b %Y %H:%M:%S GMT", &parts)
            cachedDate = (now, buffer[0..<length].map { UInt8(bitPattern: $0) })
        }
        return cachedDate.text
    }

    /// Called by the owner.
    private func close() {
        guard !closed else { return }
        closed = true
        if let exchange, case .streaming(let stream) = exchange.mode, !exchange.bodyComplete {
            stream.fail(RequestBodyError.clientDisconnected)
        }
        pendingFile = nil
        pendingStream = nil
        pendingJob = nil
        loop.queue.unregister(fd)
        withOwnership { state in
            // Half-close first so the peer reads everything we sent before it sees the end.
            shutdown(fd, Int32(SHUT_WR))
            Glibc.close(fd)
            state.descriptorClosed = true
        }
        loop.server.releaseConnectionSlot()
        // The loop's table of connections is the loop's own.
        if onHandlerThread {
            loop.post { [loop, self] in loop.forget(self) }
        } else {
            loop.forget(self)
        }
    }
}
