@testable import Server
import Testing

@Suite struct RouterTests {
    private func makeRouter() -> Router {
        var router = Router()
        router.get("/api/2.0/mlflow/runs/get") { _ in .text("get") }
        router.post("/api/2.0/mlflow/runs/create") { _ in .text("create") }
        router.get("/items/:id") { request in .text("item \(request.pathParameters["id"]!)") }
        router.add(.PUT, "/artifacts/*path") { request in .text("put \(request.pathParameters["path"]!)") }
        router.get("/artifacts/*path") { request in .text("get \(request.pathParameters["path"]!)") }
        return router
    }

    @Test func matchesStaticRoutesByMethod() {
        let router = makeRouter()
        guard case .found(let route, _) = router.match(method: .GET, path: "/api/2.0/mlflow/runs/get") else {
            Issue.record("not found")
            return
        }
        #expect(route.pattern == "/api/2.0/mlflow/runs/get")
        guard case .methodNotAllowed(let allowed) = router.match(method: .POST, path: "/api/2.0/mlflow/runs/get") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowed == [.GET])
    }

    @Test func bindsPathParametersAndRest() {
        let router = makeRouter()
        guard case .found(_, let parameters) = router.match(method: .GET, path: "/items/42") else {
            Issue.record("not found")
            return
        }
        #expect(parameters == ["id": "42"])
        guard case .found(let route, let rest) = router.match(method: .PUT, path: "/artifacts/1/abc/model/file.bin") else {
            Issue.record("not found")
            return
        }
        #expect(route.method == .PUT)
        #expect(rest == ["path": "1/abc/model/file.bin"])
        guard case .found(_, let empty) = router.match(method: .GET, path: "/artifacts") else {
            Issue.record("rest may be empty")
            return
        }
        #expect(empty == ["path": ""])
    }

    @Test func headFallsBackToGet() {
        guard case .found(let route, _) = makeRouter().match(method: .HEAD, path: "/items/1") else {
            Issue.record("not found")
            return
        }
        #expect(route.method == .GET)
    }

    @Test func unknownPathsAreNotFound() {
        let router = makeRouter()
        for path in ["/", "/items", "/items/1/extra", "/api/2.0/mlflow/runs/get/x", "/items/"] {
            guard case .notFound = router.match(method: .GET, path: path) else {
                Issue.record("\(path) should not match")
                continue
            }
        }
    }
}
