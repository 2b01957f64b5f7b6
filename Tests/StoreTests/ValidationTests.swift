import Testing
@testable import Store

/// MLflow's key rule (MLFLOW_API.md §2.3) on both of Validation.key's paths: the byte-wise one for short ASCII keys
/// and the general one for everything else.
@Suite struct ValidationTests {
    @Test func acceptsWhatMLflowAccepts() throws {
        for good in [
            "loss", "ok key/with.all-chars:1", "a_b-c.d e:f/g", "A9", String(repeating: "k", count: 250),
            "précision", "精度/top1", "x²", String(repeating: "é", count: 250),
        ] {
            #expect(throws: Never.self, "key \(good)") { try Validation.key(good, kind: "metric") }
        }
    }

    @Test func rejectsWhatMLflowRejects() throws {
        for bad in [
            "", "a//b", "./a", "a/", "a/../b", "/a", ".", "..", "..a", "bad!char", "tab\tkey", "new\nline", "a$b",
            "a\u{00A0}b", "emoji🙂", String(repeating: "k", count: 251), String(repeating: "é", count: 251),
        ] {
            #expect(throws: StoreError.self, "key \(bad.debugDescription)") { try Validation.key(bad, kind: "metric") }
        }
    }

    @Test func truncatesLongValuesByCharacter() {
        #expect(Validation.truncated("abc", limit: 3) == "abc")
        #expect(Validation.truncated("abcd", limit: 3) == "abc")
        // Two-byte characters: 3 Characters fit a limit of 3 although they are 6 bytes.
        #expect(Validation.truncated("ééé", limit: 3) == "ééé")
        #expect(Validation.truncated("éééé", limit: 3) == "ééé")
    }
}
