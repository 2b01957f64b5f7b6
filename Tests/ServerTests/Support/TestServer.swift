@testable import Server
#if canImport(Glibc)
import Glibc
#endif

/// Starts an in-process server on an ephemeral port with the routes a test needs, and stops it afterwards.
func withTestServer<T>(
    configure: (inout HTTPServer.Configuration) -> Void = { _ in },
    routes: (inout Router) -> Void,
    _ body: (HTTPServer) throws -> T
) throws -> T {
    var configuration = HTTPServer.Configuration()
    configuration.port = 0
    configuration.logger = .disabled
    configuration.handlerThreads = 4
    configure(&configuration)
    var router = Router()
    routes(&router)
    let server = HTTPServer(configuration: configuration, router: router)
    try server.start()
    defer {
        server.shutdown()
        server.waitUntilStopped()
    }
    return try body(server)
}

/// A value shared between a handler thread and the test.
final class Shared<Value>: @unchecked Sendable {
    // Safe to share: every access goes through `lock`.
    private let lock = ConditionLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    func update<R>(_ body: (inout Value) -> R) -> R {
        lock.withLock {
            let result = body(&value)
            lock.broadcast()
            return result
        }
    }

    var current: Value { lock.withLock { value } }

    /// Waits up to `seconds` for `condition` to hold.
    func wait(seconds: Double, until condition: (Value) -> Bool) -> Bool {
        let deadline = monotonicNanoseconds() + UInt64(seconds * 1e9)
        return lock.withLock {
            while !condition(value) {
                if !lock.wait(untilNanoseconds: deadline) { return condition(value) }
            }
            return true
        }
    }
}

func sleepSeconds(_ seconds: Double) {
    usleep(UInt32(seconds * 1_000_000))
}
