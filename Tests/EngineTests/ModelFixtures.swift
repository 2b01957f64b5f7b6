import JSON
import Testing
import Engine
#if canImport(Glibc)
import Glibc
#endif

/// Paths of the committed model fixtures (Tests/Fixtures) and the fetched models (models/, from `make models`).
enum ModelFixtures {
    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)  // Tests/EngineTests/ModelFixtures.swift
        return parts.joined(separator: "/")
    }()

    /// A committed fixture file.
    static func fixture(_ relative: String) -> String { repositoryRoot + "/Tests/Fixtures/" + relative }

    /// all-MiniLM-L6-v2 as unpacked by scripts/fetch-models.sh.
    static let miniLMDirectory = repositoryRoot + "/models/all-MiniLM-L6-v2"

    static func exists(_ path: String) -> Bool { access(path, R_OK) == 0 }

    /// Tests that need a fetched model run when it is there, and always under CI (where `make test` fetched it,
    /// so a missing model is a failure rather than a skip).
    static var miniLMShouldRun: Bool {
        exists(miniLMDirectory + "/model.safetensors") || getenv("CI") != nil
    }

    /// The MiniLM reference: sentences, token ids from Hugging Face tokenizers, and numpy embeddings
    /// (scripts/fixtures/minilm_reference.py).
    struct MiniLMReference {
        var sentences: [String]
        var tokenIDs: [[Int32]]
        var embeddings: Tensor
    }

    static func miniLMReference() throws -> MiniLMReference {
        let json = try ModelFiles.readJSON(fixture("minilm/token_ids.json"))
        let sentences = try #require(json["sentences"]?.arrayValue).map { try #require($0.stringValue) }
        let ids = try #require(json["token_ids"]?.arrayValue).map { row in
            try #require(row.arrayValue).map { Int32(try #require($0.integerValue)) }
        }
        let embeddings = try SafetensorsFile(path: fixture("minilm/embeddings.safetensors")).tensor(named: "embeddings")
        return MiniLMReference(sentences: sentences, tokenIDs: ids, embeddings: embeddings)
    }

    /// Cosine similarity, accumulated in Double.
    static func cosine(_ a: [Float], _ b: [Float]) -> Double {
        precondition(a.count == b.count)
        var dot = 0.0, na = 0.0, nb = 0.0
        for (x, y) in zip(a, b) {
            dot += Double(x) * Double(y)
            na += Double(x) * Double(x)
            nb += Double(y) * Double(y)
        }
        return dot / (na.squareRoot() * nb.squareRoot())
    }
}
