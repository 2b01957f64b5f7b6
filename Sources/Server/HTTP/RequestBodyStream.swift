/// The body of a request handed to a streaming route while it is still arriving, so an upload of many GiB
/// passes through in bounded memory. The event loop appends chunks; the handler thread reads them.
///
/// Back-pressure: once more than `highWater` bytes wait unread, the loop stops reading the socket; when the
/// handler has drained below `lowWater`, `onDrain` asks the loop to resume.
public final class RequestBodyStream: @unchecked Sendable {
    // Safe to share: every mutable field is guarded by `lock`.
    private let lock = ConditionLock()
    private var chunks: [[UInt8]] = []
    private var chunksHead = 0
    private var buffered = 0
    private var finished = false
    private var failure: (any Error)?
    private var pausedProducer = false
    private let highWater: Int
    private let lowWater: Int
    private let readTimeoutNanoseconds: UInt64
    var onDrain: (@Sendable () -> Void)?

    /// The body as declared by Content-Length, or nil for a chunked body.
    public let declaredLength: Int?

    init(declaredLength: Int?, highWater: Int = 1 << 20, readTimeoutNanoseconds: UInt64 = 300_000_000_000) {
        self.declaredLength = declaredLength
        self.highWater = highWater
        self.lowWater = highWater / 4
        self.readTimeoutNanoseconds = readTimeoutNanoseconds
    }

    /// The next piece of the body, or nil at its end. Throws when the client disconnected or the body was
    /// malformed, so a half-received upload is never mistaken for a whole one.
    public func read() throws -> [UInt8]? {
        var resume: (@Sendable () -> Void)?
        let chunk: [UInt8]? = try lock.withLock {
            let deadline = monotonicNanoseconds() + readTimeoutNanoseconds
            while chunksHead == chunks.count && !finished && failure == nil {
                if !lock.wait(untilNanoseconds: deadline) && chunksHead == chunks.count && !finished && failure == nil {
                    throw RequestBodyError.timedOut
                }
            }
            if let failure { throw failure }
            guard chunksHead < chunks.count else { return nil }
            let chunk = chunks[chunksHead]
            chunks[chunksHead] = []
            chunksHead += 1
            if chunksHead == chunks.count {
                chunks.removeAll(keepingCapacity: true)
                chunksHead = 0
            }
            buffered -= chunk.count
            if pausedProducer && buffered <= lowWater {
                pausedProducer = false
                resume = onDrain
            }
            return chunk
        }
        resume?()
        return chunk
    }

    /// Reads the whole remaining body into memory, refusing more than `limit` bytes.
    public func readAll(limit: Int) throws -> [UInt8] {
        var all: [UInt8] = []
        while let chunk = try read() {
            guard all.count + chunk.count <= limit else { throw HTTPParseError.bodyTooLarge(limit: limit) }
            all.append(contentsOf: chunk)
        }
        return all
    }

    // MARK: - Producer side (the event loop)

    /// Appends bytes; returns false when the reader is behind and the loop should stop reading the socket.
    func append(_ bytes: ArraySlice<UInt8>) -> Bool {
        lock.withLock {
            guard !finished, failure == nil else { return true }
            chunks.append(Array(bytes))
            buffered += bytes.count
            lock.signal()
            if buffered > highWater {
                pausedProducer = true
                return false
            }
            return true
        }
    }

    func finish() {
        lock.withLock {
            finished = true
            lock.signal()
        }
    }

    func fail(_ error: any Error) {
        lock.withLock {
            if !finished { failure = error }
            lock.signal()
        }
    }
}

/// Why a streamed request body ended early.
public enum RequestBodyError: HTTPResponseError, Equatable {
    case clientDisconnected
    case timedOut

    public var status: HTTPStatus { .badRequest }
    public var errorCode: String { APIError.Code.badRequest.rawValue }
    public var publicMessage: String {
        self == .clientDisconnected ? "The client closed the connection before the body was complete"
            : "The request body stopped arriving"
    }
}
