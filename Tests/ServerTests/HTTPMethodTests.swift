import Server
import Testing

@Suite struct HTTPMethodTests {
    @Test func methodsCompareCaseSensitively() {
        #expect(HTTPMethod(rawValue: "GET") == .GET)
        #expect(HTTPMethod(rawValue: "get") != .GET)
    }
}
