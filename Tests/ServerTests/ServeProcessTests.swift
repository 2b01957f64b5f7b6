import Foundation
@testable import Server
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Tests that run the real `mixbit serve` binary: descriptor hygiene and signal-driven shutdown.
@Suite(.serialized) struct ServeProcessTests {
    private func startServer(_ extra: [String] = []) throws -> (ChildProcess, UInt16) {
        let dataDir = "/tmp/mixbit-serve-test-\(getpid())"
        let process = try ChildProcess(
            [ChildProcess.mixbitPath, "serve", "--port", "0", "--no-access-log",
             "--backend-store-uri", "sqlite:///\(dataDir)/mixbit.db", "--artifacts-destination", "\(dataDir)/artifacts"] + extra)
        return (process, try process.waitForListeningPort())
    }

    @Test func tenThousandConnections_LeakNoDescriptors() throws {
        let (server, port) = try startServer()
        #expect(try TestClient(port: port).request("GET", "/health").status == 200)
        sleepSeconds(0.2)
        let before = server.openDescriptorCount
        for i in 0..<10_000 {
            let client = try TestClient(port: port)
            // Mix clean requests, requests the server closes, and clients that vanish without a word.
            switch i % 4 {
            case 0: _ = try client.request("GET", "/health")
            case 1: _ = try client.request("GET", "/health", headers: ["Connection: close"])
            case 2: try client.send("GET /health HTTP/1.1\r\nHo")
            default: break
            }
        }
        var after = server.openDescriptorCount
        for _ in 0..<100 where after != before {
            sleepSeconds(0.05)
            after = server.openDescriptorCount
        }
        #expect(before > 0)
        #expect(after == before, "descriptors before: \(before), after 10 000 connections: \(after)")
    }

    /// Started with the usual soft limit of 1 024 open files (systemd's), the server raises it toward
    /// `--max-connections` + 256, up to the hard limit.
    @Test(.enabled(if: (OpenFileLimit.current?.hard ?? 0) > 1_024, "the hard limit leaves nothing to raise"))
    func serve_RaisesItsOpenFileLimit() throws {
        let hard = try #require(OpenFileLimit.current).hard
        let dataDir = "/tmp/mixbit-serve-limit-test-\(getpid())"
        let process = try ChildProcess(
            ["/bin/sh", "-c", "ulimit -Sn 1024 && exec \"$0\" \"$@\"", ChildProcess.mixbitPath, "serve", "--port", "0",
             "--no-access-log", "--max-connections", "3000", "--backend-store-uri", "sqlite:///\(dataDir)/mixbit.db",
             "--artifacts-destination", "\(dataDir)/artifacts"])
        _ = try process.waitForListeningPort()
        let limits = try String(contentsOfFile: "/proc/\(process.pid)/limits", encoding: .utf8)
        let line = limits.split(separator: "\n").first { $0.hasPrefix("Max open files") }
        let soft = line.flatMap { UInt64($0.split(separator: " ", omittingEmptySubsequences: true)[3]) }
        #expect(soft == min(3_256, hard), "\(line ?? "no Max open files line")")
        process.signal(SIGTERM)
        #expect(process.waitForExit(timeoutSeconds: 10) == 0)
    }

    @Test func openFileLimit_NeverLowersAndStopsAtTheHardLimit() {
        #expect(OpenFileLimit.raisedSoftLimit(soft: 1_024, hard: 524_288, wanted: 10_256) == 10_256)
        #expect(OpenFileLimit.raisedSoftLimit(soft: 1_024, hard: 4_096, wanted: 10_256) == 4_096)
        #expect(OpenFileLimit.raisedSoftLimit(soft: 65_536, hard: 524_288, wanted: 10_256) == 65_536)
    }

    @Test func sigterm_FinishesTheRequestInFlight_ThenExitsZero() throws {
        let (server, port) = try startServer(["--idle-timeout", "60"])
        let idle = try TestClient(port: port)
        #expect(try idle.request("GET", "/health").status == 200)
        // A request whose body is still arriving is in flight; the server must wait for it.
        let busy = try TestClient(port: port)
        try busy.send("GET /health HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab")
        sleepSeconds(0.2)
        server.signal(SIGTERM)
        sleepSeconds(0.3)
        #expect(try idle.isClosedByPeer())
        try busy.send("cd")
        let response = try busy.readResponse()
        #expect(response.status == 200)
        #expect(response.header("Connection") == "close")
        #expect(server.waitForExit(timeoutSeconds: 10) == 0)
    }

    @Test func badOptionsFailWithAClearMessage() throws {
        let process = try ChildProcess([ChildProcess.mixbitPath, "serve", "--backend-store-uri", "mysql://u:secret@h/db"])
        let line = try process.waitForLine(containing: "Error")
        #expect(line.contains("scheme"))
        #expect(!line.contains("secret"))
        #expect(process.waitForExit(timeoutSeconds: 10) != 0)
    }
}
