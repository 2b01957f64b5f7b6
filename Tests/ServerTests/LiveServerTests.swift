@testable import Server
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A response body produced in pieces on handler threads.
private final class CountingSource: ResponseBodySource, @unchecked Sendable {
    // Safe: the server never calls nextChunk twice at once for one response.
    private var remaining: Int
    init(chunks: Int) { remaining = chunks }
    func nextChunk() throws -> [UInt8]? {
        guard remaining > 0 else { return nil }
        remaining -= 1
        return Array("chunk-\(remaining);".utf8)
    }
}

/// Live tests over real sockets on an ephemeral port. Serialized: several measure timing.
@Suite(.serialized) struct LiveServerTests {
    static func standardRoutes(_ router: inout Router) {
        SystemRoutes.register(on: &router, version: "9.9.9")
        router.post("/echo") { request in HTTPResponse(body: .bytes(request.body)) }
        router.get("/slow") { _ in
            sleepSeconds(0.5)
            return .text("slow done")
        }
        router.get("/stream") { _ in HTTPResponse(body: .stream(CountingSource(chunks: 50))) }
        router.get("/fail") { _ in throw APIError(.resourceDoesNotExist, "Run 'x' not found") }
        router.get("/crash") { _ in throw SocketError(call: "secret-internal-call", errno: EIO) }
    }

    @Test func servesHealthAndVersion_AndKeepsTheConnectionAlive() throws {
        try withTestServer(routes: Self.standardRoutes) { server in
            let client = try TestClient(port: server.port)
            for _ in 0..<3 {
                let health = try client.request("GET", "/health")
                #expect(health.status == 200)
                #expect(health.text == "OK")
                #expect(health.header("Connection") == nil)
                #expect(health.header("Date")?.hasSuffix("GMT") == true)
            }
            #expect(try client.request("GET", "/version").text == "9.9.9")
            let head = try client.request("HEAD", "/health")
            #expect(head.status == 200)
            #expect(head.header("Content-Length") == "2")
            #expect(try client.request("GET", "/health").text == "OK")
        }
    }

    @Test func errorsBecomeMLflowJSON_WithTheRightStatus() throws {
        try withTestServer(routes: Self.standardRoutes) { server in
            let client = try TestClient(port: server.port)
            let missing = try client.request("GET", "/api/2.0/mlflow/nope")
            #expect(missing.status == 404)
            #expect(missing.text == #"{"error_code":"ENDPOINT_NOT_FOUND","message":"No endpoint GET /api/2.0/mlflow/nope"}"#)
            let known = try client.request("GET", "/fail")
            #expect(known.status == 404)
            #expect(known.text.contains("RESOURCE_DOES_NOT_EXIST"))
            let crash = try client.request("GET", "/crash")
            #expect(crash.status == 500)
            #expect(!crash.text.contains("secret"))
            let method = try client.request("DELETE", "/health")
            #expect(method.status == 405)
            #expect(method.header("Allow") == "GET")
            // The connection survives every one of these.
            #expect(try client.request("GET", "/health").status == 200)
        }
    }

    @Test func answersPipelinedRequestsInOrder() throws {
        try withTestServer(routes: Self.standardRoutes) { server in
            let client = try TestClient(port: server.port)
            try client.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\nPOST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nfirst"
                + "GET /health HTTP/1.1\r\nHost: h\r\n\r\nPOST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nsec\r\n3\r\nond\r\n0\r\n\r\n")
            #expect(try client.readResponse().text == "slow done")
            #expect(try client.readResponse().text == "first")
            #expect(try client.readResponse().text == "OK")
            #expect(try client.readResponse().text == "second")
        }
    }

    @Test func handlerThreadServesItsConnection_ThenHandsItBack() throws {
        try withTestServer(configure: { $0.lingerMilliseconds = 20 }, routes: Self.standardRoutes) { server in
            do {
                let client = try TestClient(port: server.port)
                // Back to back: each next request reaches the handler thread still holding the connection.
                for i in 0..<20 {
                    #expect(try client.request("POST", "/echo", body: Array("n\(i)".utf8)).text == "n\(i)")
                }
                // Past the linger time the loop has the connection again, and still serves it.
                sleepSeconds(0.1)
                #expect(try client.request("POST", "/echo", body: Array("late".utf8)).text == "late")
                // Pipelined pooled requests, an inline one and a streamed response, answered in order.
                let echo = "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok"
                try client.send(String(repeating: echo, count: 10)
                    + "GET /health HTTP/1.1\r\nHost: h\r\n\r\nGET /stream HTTP/1.1\r\nHost: h\r\n\r\n")
                for _ in 0..<10 { #expect(try client.readResponse().text == "ok") }
                #expect(try client.readResponse().text == "OK")
                #expect(try client.readResponse().text.hasPrefix("chunk-49;"))
                // The client leaves while the thread lingers on its connection.
                #expect(try client.request("POST", "/echo", body: Array("bye".utf8)).text == "bye")
            }
            for _ in 0..<100 where server.openConnections > 0 { sleepSeconds(0.01) }
            #expect(server.openConnections == 0)
        }
    }

    @Test func shutdown_ClosesAConnectionAHandlerThreadLingersOn() throws {
        let server = HTTPServer(configuration: {
            var configuration = HTTPServer.Configuration()
            configuration.port = 0
            configuration.logger = .disabled
            configuration.lingerMilliseconds = 200
            return configuration
        }(), router: { var router = Router(); Self.standardRoutes(&router); return router }())
        try server.start()
        let client = try TestClient(port: server.port)
        #expect(try client.request("POST", "/echo", body: Array("x".utf8)).text == "x")
        let start = monotonicNanoseconds()
        server.shutdown()
        #expect(try client.isClosedByPeer())
        // At most the linger time late.
        #expect(monotonicNanoseconds() - start < 1_000_000_000)
        server.waitUntilStopped()
    }

    @Test func sendsContinueBeforeReadingTheBody() throws {
        try withTestServer(routes: Self.standardRoutes) { server in
            let client = try TestClient(port: server.port)
            try client.send("POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            #expect(try client.readResponse().status == 100)
            try client.send("ping")
            #expect(try client.readResponse().text == "ping")
        }
    }

    @Test func enforcesHeaderAndBodyLimits_WithClearErrors() throws {
        try withTestServer(configure: { $0.maxHeaderBytes = 1024; $0.maxBodyBytes = 100 }, routes: Self.standardRoutes) { server in
            let big = try TestClient(port: server.port)
            let tooLarge = try big.request("GET", "/health", headers: ["X-Pad: " + String(repeating: "p", count: 2000)])
            #expect(tooLarge.status == 431)
            #expect(tooLarge.header("Connection") == "close")
            #expect(try big.isClosedByPeer())

            let body = try TestClient(port: server.port)
            let rejected = try body.request("POST", "/echo", body: [UInt8](repeating: 1, count: 101))
            #expect(rejected.status == 413)
            #expect(rejected.text.contains("exceeds 100 bytes"))

            let framing = try TestClient(port: server.port)
            try framing.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n")
            let conflict = try framing.readResponse()
            #expect(conflict.status == 400)
            #expect(conflict.text.contains("BAD_REQUEST"))
        }
    }

    @Test func streamsChunkedResponses() throws {
        try withTestServer(routes: Self.standardRoutes) { server in
            let client = try TestClient(port: server.port)
            let response = try client.request("GET", "/stream")
            #expect(response.header("Transfer-Encoding") == "chunked")
            let expected = (0..<50).reversed().map { "chunk-\($0);" }.joined()
            #expect(response.text == expected)
            #expect(try client.request("GET", "/health").status == 200)
        }
    }

    @Test func servesFilesWithSendfile() throws {
        let path = "/tmp/mixbit-sendfile-\(getpid()).bin"
        let content = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        _ = content.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
        defer { unlink(path) }
        try withTestServer(routes: { router in
            router.get("/file") { _ in HTTPResponse(body: .file(try FileBody(path: path))) }
            router.get("/missing") { _ in HTTPResponse(body: .file(try FileBody(path: path + ".nope"))) }
        }) { server in
            let client = try TestClient(port: server.port)
            let response = try client.request("GET", "/file")
            #expect(response.body == content)
            #expect(try client.request("GET", "/missing").status == 500)
        }
    }

    @Test func streamsLargeUploadsToHandlers_InBoundedChunks() throws {
        let received = Shared<(bytes: Int, checksum: UInt64, largestChunk: Int)>((0, 0, 0))
        try withTestServer(routes: { router in
            router.add(.PUT, "/upload/*path", options: .streamingBody) { request in
                var total = 0
                var checksum: UInt64 = 0
                var largest = 0
                while let chunk = try request.bodyStream!.read() {
                    total += chunk.count
                    largest = max(largest, chunk.count)
                    for byte in chunk { checksum = checksum &* 31 &+ UInt64(byte) }
                }
                received.update { $0 = (total, checksum, largest) }
                return .text("\(total) \(request.pathParameters["path"]!)")
            }
        }) { server in
            let client = try TestClient(port: server.port)
            let size = 24 * 1024 * 1024
            var payload = [UInt8](repeating: 0, count: 1 << 20)
            var expected: UInt64 = 0
            try client.send("PUT /upload/a/b.bin HTTP/1.1\r\nHost: h\r\nContent-Length: \(size)\r\n\r\n")
            for block in 0..<(size >> 20) {
                for i in payload.indices { payload[i] = UInt8(truncatingIfNeeded: i &+ block) }
                for byte in payload { expected = expected &* 31 &+ UInt64(byte) }
                try client.send(payload)
            }
            let response = try client.readResponse()
            #expect(response.text == "\(size) a/b.bin")
            #expect(received.current.bytes == size)
            #expect(received.current.checksum == expected)
            // The body reached the handler in socket-sized pieces, never whole.
            #expect(received.current.largestChunk <= 1 << 20)
        }
    }

    /// Uploads that trickle in hold their handler threads, but only half of them: the next upload is a 503 (the
    /// MLflow client retries it), and other requests are still answered.
    @Test func slowUploads_TakeAtMostHalfTheHandlerThreads() throws {
        try withTestServer(routes: { router in
            Self.standardRoutes(&router)
            router.add(.PUT, "/upload", options: .streamingBody) { request in
                while try request.bodyStream!.read() != nil {}
                return .text("stored")
            }
        }) { server in
            // The test server runs 4 handler threads: 2 may read uploads.
            let slow = try (0..<2).map { _ in try TestClient(port: server.port) }
            for client in slow { try client.send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\n\r\nab") }
            sleepSeconds(0.2)
            let third = try TestClient(port: server.port)
            try third.send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 10\r\nExpect: 100-continue\r\n\r\n")
            let refused = try third.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(refused.text.contains("TEMPORARILY_UNAVAILABLE"))
            #expect(try TestClient(port: server.port).request("POST", "/echo", body: Array("hi".utf8)).status == 200)
            // A finished upload gives its thread back.
            try slow[0].send("cdefghij")
            #expect(try slow[0].readResponse().text == "stored")
            let next = try TestClient(port: server.port)
            try next.send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nok")
            #expect(try next.readResponse().text == "stored")
        }
    }

    @Test func clientDisconnectingMidBody_IsReportedToTheHandler_AndHarmsNoOne() throws {
        let outcome = Shared<String>("")
        try withTestServer(routes: { router in
            Self.standardRoutes(&router)
            router.add(.PUT, "/upload", options: .streamingBody) { request in
                do {
                    while try request.bodyStream!.read() != nil {}
                    outcome.update { $0 = "complete" }
                } catch {
                    outcome.update { $0 = "\(error)" }
                    throw error
                }
                return .text("done")
            }
        }) { server in
            do {
                let client = try TestClient(port: server.port)
                try client.send("PUT /upload HTTP/1.1\r\nHost: h\r\nContent-Length: 1000000\r\n\r\n" + String(repeating: "x", count: 1000))
                let buffered = try TestClient(port: server.port)
                try buffered.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 1000\r\n\r\nabc")
            }
            #expect(outcome.wait(seconds: 5) { !$0.isEmpty })
            #expect(outcome.current == "clientDisconnected")
            #expect(try TestClient(port: server.port).request("GET", "/health").status == 200)
            let drained = Shared<Int>(0)
            for _ in 0..<50 where server.openConnections > 0 { sleepSeconds(0.05) }
            drained.update { $0 = server.openConnections }
            #expect(drained.current == 0)
        }
    }

    @Test func twoHundredConcurrentKeepAliveClients_AreAllServed() throws {
        try withTestServer(routes: Self.standardRoutes) { server in
            let clients = try (0..<200).map { _ in try TestClient(port: server.port) }
            for round in 0..<5 {
                for (i, client) in clients.enumerated() {
                    let body = "\(round)-\(i)"
                    try client.send("POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                }
                for (i, client) in clients.enumerated() {
                    #expect(try client.readResponse().text == "\(round)-\(i)")
                }
            }
            #expect(server.openConnections == 200)
        }
    }

    @Test func slowLorisClient_DoesNotDelayOthers_AndIsCutOffByTheHeaderTimeout() throws {
        try withTestServer(configure: { $0.headerTimeoutSeconds = 2 }, routes: Self.standardRoutes) { server in
            let loris = try TestClient(port: server.port, receiveTimeoutSeconds: 10)
            try loris.send("GET /health HTTP/1.1\r\nHo")
            let start = monotonicNanoseconds()
            var served = 0
            var slowest: UInt64 = 0
            var lorisBytes = 0
            while monotonicNanoseconds() - start < 1_500_000_000 {
                // Trickle one byte every ~100 ms while others are served.
                if (monotonicNanoseconds() - start) / 100_000_000 > UInt64(lorisBytes) {
                    try loris.send("s")
                    lorisBytes += 1
                }
                let t0 = monotonicNanoseconds()
                let client = try TestClient(port: server.port)
                #expect(try client.request("GET", "/health").status == 200)
                slowest = max(slowest, monotonicNanoseconds() - t0)
                served += 1
            }
            #expect(served > 20)
            // Well under the 2 s header timeout: had the trickling client held a loop or a thread, others would
            // have waited for it to be cut off. The margin absorbs a loaded CI machine.
            #expect(slowest < 1_000_000_000, "a request took \(slowest / 1_000_000) ms while a slow client trickled")
            // The header timeout (2 s from the first byte) closes the trickling connection, with no 408.
            #expect(try loris.isClosedByPeer())
            #expect(monotonicNanoseconds() - start < 4_000_000_000)
        }
    }

    @Test func shutdown_LetsAnInFlightRequestFinish_ThenStopsAccepting() throws {
        var configuration = HTTPServer.Configuration()
        configuration.port = 0
        configuration.logger = .disabled
        var router = Router()
        Self.standardRoutes(&router)
        let server = HTTPServer(configuration: configuration, router: router)
        try server.start()
        let port = server.port
        let client = try TestClient(port: port)
        try client.send("GET /slow HTTP/1.1\r\nHost: h\r\n\r\n")
        let idle = try TestClient(port: port)
        #expect(try idle.request("GET", "/health").status == 200)
        sleepSeconds(0.1)
        server.shutdown()
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "slow done")
        #expect(response.header("Connection") == "close")
        #expect(try idle.isClosedByPeer())
        server.waitUntilStopped()
        #expect(throws: TestClientError.self) { try TestClient(port: port) }
    }

    @Test func refusesConnectionsBeyondTheLimit_With503() throws {
        try withTestServer(configure: { $0.maxConnections = 2 }, routes: Self.standardRoutes) { server in
            let a = try TestClient(port: server.port)
            let b = try TestClient(port: server.port)
            #expect(try a.request("GET", "/health").status == 200)
            #expect(try b.request("GET", "/health").status == 200)
            let c = try TestClient(port: server.port)
            let refused = try c.readResponse()
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
        }
    }
}
