import Engine
@testable import Server
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A seeded mutation fuzzer for the request parser. Every input is parsed twice — whole, and split into
/// random pieces as a socket might deliver it — and the two runs must agree, never crash, and never report
/// a range outside the buffer (checked by `parseRequests`). MIXBIT_FUZZ_ITERATIONS and MIXBIT_FUZZ_SEED
/// lengthen or vary a run (bench/README.md records a long one).
@Suite struct HTTPRequestParserFuzzTests {
    static let corpus: [String] = [
        "GET /api/2.0/mlflow/runs/get?run_id=abc&x=%20y HTTP/1.1\r\nHost: h\r\nAccept: */*\r\n\r\n",
        "POST /api/2.0/mlflow/runs/log-batch HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\nContent-Length: 27\r\n\r\n{\"run_id\":\"r\",\"metrics\":[]}",
        "PUT /api/2.0/mlflow-artifacts/artifacts/0/r/a.txt HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n4;e=1\r\nabcd\r\n0\r\nT: 1\r\n\r\n",
        "POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\nabcGET /y HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        "HEAD /health HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n",
        "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
    ]

    static let tokens: [String] = [
        "\r\n", "\r\n\r\n", ":", " ", "%", "%G", "%00", "Transfer-Encoding: chunked\r\n", "Content-Length: 99999999999999999999\r\n",
        "Content-Length: -1\r\n", "Content-Length: 5\r\n", "ffffffffffffffffff\r\n", "0\r\n\r\n", "HTTP/1.1", "HTTP/9.9", "\u{0}", "\t",
        "Host: x\r\n", "Expect: 100-continue\r\n", ";", "\n",
    ]

    static func mutate(_ input: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = input
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0 where !bytes.isEmpty:
                bytes[position] = UInt8.random(in: 0...255, using: &rng)
            case 1:
                bytes.insert(UInt8.random(in: 0...255, using: &rng), at: position)
            case 2 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...16, using: &rng))
                bytes.removeSubrange(position..<end)
            case 3:
                bytes.insert(contentsOf: Array(tokens.randomElement(using: &rng)!.utf8), at: position)
            case 4 where !bytes.isEmpty:
                let end = min(bytes.count, position + Int.random(in: 1...32, using: &rng))
                bytes.insert(contentsOf: bytes[position..<end], at: position)
            default:
                let other = Array(corpus.randomElement(using: &rng)!.utf8)
                bytes = Array(bytes[..<position]) + other[Int.random(in: 0..<other.count, using: &rng)...]
            }
        }
        return bytes
    }

    enum Outcome: Equatable {
        case requests([String], [[UInt8]])
        case failed(HTTPParseError)
    }

    static func outcome(_ input: [UInt8], pieceSize: Int) -> Outcome {
        do {
            let requests = try parseRequests(input, pieceSize: pieceSize, maxHeaderBytes: 512, maxBodyBytes: 4096)
            return .requests(requests.map { "\($0.head.method) \($0.head.target)" }, requests.map(\.body))
        } catch {
            return .failed(error)
        }
    }

    @Test func mutatedRequests_NeverCrash_AndParseTheSameInAnyPieces() {
        let iterations = getenv("MIXBIT_FUZZ_ITERATIONS").flatMap { Int(String(cString: $0)) } ?? 100_000
        let seed = getenv("MIXBIT_FUZZ_SEED").flatMap { UInt64(String(cString: $0)) } ?? 20_261_123
        var rng = SplitMix64(seed: seed)
        var accepted = 0
        var rejected = 0
        var mismatches: [String] = []
        for _ in 0..<iterations {
            let input = Self.mutate(Array(Self.corpus.randomElement(using: &rng)!.utf8), &rng)
            let whole = Self.outcome(input, pieceSize: Int.max)
            let pieces = Self.outcome(input, pieceSize: Int.random(in: 1...16, using: &rng))
            if whole != pieces, mismatches.count < 3 {
                mismatches.append("\(input.map(Self.printable).joined()): \(whole) vs \(pieces)")
            }
            if case .failed = whole { rejected += 1 } else { accepted += 1 }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        // The mutator must exercise both paths, or the run proves little.
        #expect(accepted > iterations / 20)
        #expect(rejected > iterations / 20)
    }

    private static func printable(_ byte: UInt8) -> String {
        (32..<127).contains(byte) && byte != UInt8(ascii: "\\") ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16)
    }
}
