import JSON
@testable import Server
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct ArtifactRoutesTests {
    let directory: String
    let router: Router

    init() throws {
        directory = "/tmp/mixbit-artifacts-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        var router = Router()
        ArtifactRoutes.register(on: &router, root: try ArtifactRoot(path: directory))
        self.router = router
    }

    private func put(_ path: String, _ text: String) throws -> HTTPResponse {
        router.respond(to: try .make(.PUT, "/api/2.0/mlflow-artifacts/artifacts/" + path, streamedBody: Array(text.utf8)))
    }

    private func get(_ target: String) throws -> HTTPResponse {
        router.respond(to: try .make(.GET, "/api/2.0/mlflow-artifacts/artifacts" + target))
    }

    @Test func uploadThenDownload_ReturnsTheSameBytes() throws {
        #expect(try put("1/run/artifacts/dir/hello%20world.txt", "hi there").status == .ok)
        let response = try get("/1/run/artifacts/dir/hello%20world.txt")
        #expect(response.status == .ok)
        guard case .file(let file) = response.body else {
            Issue.record("expected a file body")
            return
        }
        #expect(file.length == 8)
        var bytes = [UInt8](repeating: 0, count: 8)
        #expect(pread(file.fd, &bytes, 8, 0) == 8)
        #expect(String(decoding: bytes, as: UTF8.self) == "hi there")
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"hello world.txt\"")
        #expect(response.headers["Content-Type"] == "text/plain; charset=utf-8")
    }

    @Test func listing_GivesBasenamesSizesAndDirectories() throws {
        _ = try put("1/r/artifacts/a.json", "{}")
        _ = try put("1/r/artifacts/sub/b.bin", "12345")
        let listing = try get("?path=1/r/artifacts")
        #expect(listing.bodyJSON == [
            "files": [["path": "a.json", "is_dir": false, "file_size": 2], ["path": "sub", "is_dir": true]],
        ])
        // A file path and a missing path both list as empty: that is how the client tells files apart.
        #expect(try get("?path=1/r/artifacts/a.json").bodyText == "{}")
        #expect(try get("?path=1/nope").bodyText == "{}")
    }

    @Test func missingFile_Is404JSON_AndDirectoryIs400() throws {
        _ = try put("2/r/artifacts/d/x.txt", "x")
        let missing = try get("/2/r/artifacts/d/none.txt")
        #expect(missing.status == .notFound)
        #expect(missing.bodyJSON?["error_code"] == "RESOURCE_DOES_NOT_EXIST")
        #expect(try get("/2/r/artifacts/d").status == .badRequest)
    }

    @Test(arguments: ["../etc/passwd", "1/../../x", "a\\b", "a#b", "/abs"])
    func pathsThatCouldEscape_AreRejected(path: String) throws {
        let response = router.respond(to: try .make(
            .PUT, "/api/2.0/mlflow-artifacts/artifacts/" + PercentEncoding.encode(path, keepSlash: true), streamedBody: [1]))
        #expect(response.status == .badRequest)
        #expect(response.bodyJSON?["error_code"] == "INVALID_PARAMETER_VALUE")
    }

    @Test func symbolicLinksAreNeverFollowed() throws {
        _ = try put("3/r/artifacts/real.txt", "inside")
        #expect(symlink("/etc", directory + "/3/r/artifacts/link") == 0)
        #expect(symlink("/etc/hostname", directory + "/3/r/artifacts/file-link") == 0)
        #expect(try get("/3/r/artifacts/link/hostname").status == .notFound)
        #expect(try get("/3/r/artifacts/file-link").status == .notFound)
        #expect(try put("3/r/artifacts/link/evil.txt", "x").status == .badRequest)
        #expect(access("/etc/evil.txt", F_OK) != 0)
        // Links are left out of listings too.
        #expect(try get("?path=3/r/artifacts").bodyJSON == ["files": [["path": "real.txt", "is_dir": false, "file_size": 6]]])
    }

    @Test func failedUpload_LeavesNothingBehind() throws {
        let stream = RequestBodyStream(declaredLength: 100)
        _ = stream.append([1, 2, 3][...])
        stream.fail(RequestBodyError.clientDisconnected)
        let request = try HTTPRequest.make(.PUT, "/api/2.0/mlflow-artifacts/artifacts/4/r/artifacts/partial.bin")
        let streamed = HTTPRequest(head: request.head, query: request.query, bodyStream: stream)
        #expect(router.respond(to: streamed).status == .badRequest)
        #expect(try get("?path=4/r/artifacts").bodyText == "{}")
    }

    @Test func deleteRemovesFilesAndTrees() throws {
        _ = try put("5/r/artifacts/d/x.txt", "x")
        _ = try put("5/r/artifacts/d/e/y.txt", "y")
        let deleted = router.respond(to: try .make(.DELETE, "/api/2.0/mlflow-artifacts/artifacts/5/r/artifacts/d"))
        #expect(deleted.status == .ok)
        #expect(try get("?path=5/r/artifacts").bodyText == "{}")
    }

    /// Names past NAME_MAX and paths past `maxDepth` are the client's mistake (400), never a file-system error (500).
    @Test func overlongNamesAndDeepPaths_AreInvalid() throws {
        let longest = String(repeating: "n", count: ArtifactRoot.maxNameBytes)
        #expect(try put("6/r/artifacts/" + longest, "x").status == .ok)
        for response in [try put("6/r/artifacts/" + longest + "n", "x"), try get("/6/r/artifacts/" + longest + "n"),
                         try get("?path=6/r/artifacts/" + longest + "n")] {
            #expect(response.status == .badRequest)
            #expect(response.bodyJSON?["error_code"] == "INVALID_PARAMETER_VALUE")
        }
        let deepest = Array(repeating: "d", count: ArtifactRoot.maxDepth - 1).joined(separator: "/")
        #expect(try put(deepest + "/f", "x").status == .ok)
        #expect(try put(deepest + "/d/f", "x").status == .badRequest)
    }

    /// A tree deeper than any path the server accepts (made outside it) is refused by DELETE instead of being
    /// followed down, one stack frame per level, until the handler thread's stack runs out.
    @Test func deletingATreeDeeperThanTheLimit_IsRefused() throws {
        var path = directory + "/7"
        for _ in 0...(ArtifactRoot.maxDepth + 1) {
            path += "/d"
        }
        #expect(Glibc.system("mkdir -p '\(path)'") == 0)
        let deleted = router.respond(to: try .make(.DELETE, "/api/2.0/mlflow-artifacts/artifacts/7"))
        #expect(deleted.status == .badRequest)
        #expect(deleted.bodyText.contains("more than \(ArtifactRoot.maxDepth) directories deep"))
    }

    /// A CR LF in a file name must not reach the response head (response splitting).
    @Test func downloadName_CannotAddHeaders() throws {
        #expect(try put("8/r/artifacts/a%0D%0ASet-Cookie:%20s=evil%22.txt", "x").status == .ok)
        let response = try get("/8/r/artifacts/a%0D%0ASet-Cookie:%20s=evil%22.txt")
        #expect(response.status == .ok)
        #expect(response.headers["Content-Disposition"] == "attachment; filename=\"a__Set-Cookie: s=evil_.txt\"")
    }

    @Test func multipartIsDeclinedSoTheClientFallsBack() throws {
        let response = router.respond(to: try .make(.POST, "/api/2.0/mlflow-artifacts/mpu/create/1/r/artifacts"))
        #expect(response.status.code == 501)
        #expect(response.bodyJSON?["message"]?.stringValue?.hasPrefix("Multipart upload is not supported") == true)
    }
}
