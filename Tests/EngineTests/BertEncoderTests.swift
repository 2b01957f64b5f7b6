import JSON
import Engine
import Testing

@Suite struct BertEncoderTests {
    @Test(.enabled(if: ModelFixtures.miniLMShouldRun, "models/all-MiniLM-L6-v2 absent and CI unset: run `make models`"))
    func miniLM_EmbeddingsMatchNumpyReference() throws {
        let reference = try ModelFixtures.miniLMReference()
        let embedder = try SentenceEmbedder(directory: ModelFixtures.miniLMDirectory)
        let width = reference.embeddings.shape[1]
        #expect(embedder.encoder.configuration.hiddenSize == width)
        var lowest = 1.0
        for (row, sentence) in reference.sentences.enumerated() {
            let expected = reference.embeddings.rows(row ..< row + 1).values
            let cosine = ModelFixtures.cosine(embedder.embed(sentence), expected)
            lowest = min(lowest, cosine)
            #expect(cosine >= 0.9999, "\(sentence): cosine \(cosine)")
        }
        print("all-MiniLM-L6-v2: \(reference.sentences.count) sentences, minimum cosine vs reference \(lowest)")
    }

    @Test(.enabled(if: ModelFixtures.miniLMShouldRun, "models/all-MiniLM-L6-v2 absent and CI unset: run `make models`"))
    func miniLM_SimilarSentencesAreCloserThanUnrelatedOnes() throws {
        let embedder = try SentenceEmbedder(directory: ModelFixtures.miniLMDirectory)
        let rates = embedder.embed("Stocks fell sharply after the central bank raised interest rates.")
        let decision = embedder.embed("The central bank's decision to raise rates sent markets lower.")
        let plants = embedder.embed("Photosynthesis converts light energy into chemical energy in plants.")
        #expect(ModelFixtures.cosine(rates, decision) > ModelFixtures.cosine(rates, plants) + 0.3)
        #expect(abs(ModelFixtures.cosine(rates, rates) - 1) < 1e-6)
    }

    @Test func configuration_RejectsRelativePositions() throws {
        let json = try JSONParser.parse("""
            {"vocab_size": 10, "hidden_size": 8, "num_hidden_layers": 1, "num_attention_heads": 2,
             "intermediate_size": 16, "max_position_embeddings": 4, "position_embedding_type": "relative_key"}
            """)
        #expect(throws: ModelError.self) { try BertConfiguration(ConfigurationReader(json)) }
    }
}
